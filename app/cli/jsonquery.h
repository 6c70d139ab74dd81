#pragma once

#include "models/result.h"

#include <QJsonValue>
#include <QString>

#include <memory>

// The part of JMESPath (az's --query language) that endpoint scripts use: fields and dotted
// paths (`provisioning_state`, `traffic.blue`, `traffic."my-dep"`), indexes (`[0]`, `[-1]`),
// projections (`[]`, `[*]`, `.*`), filters (`[?name=='blue']`, `==` `!=` `<` `<=` `>` `>=`
// `&&` `||` `!`), multiselect (`{Name:name, State:provisioning_state}`, `[name, location]`),
// pipes, `@`, raw strings and backtick JSON literals. Unquoted names may contain dashes.
class JsonQuery
{
public:
    static Result<JsonQuery> compile(const QString &expression);

    QJsonValue evaluate(const QJsonValue &document) const;

    struct Node;

private:
    std::shared_ptr<const Node> m_root;
};
