#pragma once

#include "app/invoke/scoringresponse.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

// One row of the assertions table, Bruno's declarative "Assert" idea:
//   target    `status`, `header <name>`, or a JSON path into the body (`$.data[0].score`)
//   op        eq, neq, lt, lte, gt, gte, contains, exists, notExists
//   expected  JSON text (`200`, `"ok"`, `[1, 2]`, `true`); anything else is compared as a string
struct ResponseAssertion
{
    QString target;
    QString op = QStringLiteral("eq");
    QString expected;
    bool enabled = true;

    struct Outcome
    {
        bool passed = false;
        QString actual;  // what the response had, as JSON text ("" when missing)
        QString message; // "expected 200, got 500", "no key 'data' at $"
    };

    static QStringList operators();
    Outcome evaluate(const ScoringResponse &response) const;
    static QList<Outcome> evaluateAll(const QList<ResponseAssertion> &assertions,
                                      const ScoringResponse &response);

    // Resolves `$`, `.key`, `['key']`, `[n]` (negative n counts from the end).
    static std::optional<QJsonValue> resolvePath(const QJsonValue &root, const QString &path,
                                                 QString *error = nullptr);

    QJsonObject toJson() const;
    static ResponseAssertion fromJson(const QJsonObject &object);
};
