// Evaluates JMESPath queries with endpointctl's engine for the differential test
// (jmespath_differential.py): one case per input line, a JSON array [expression, document],
// one answer per output line:
//   ["ok", "<the result as compact JSON text>"]
//   ["error", "<kind: syntax, unknown-function, invalid-arity, invalid-value, invalid-type>",
//    <1-based column or 0>, "<message>"]
// The document is read with the engine's own JSON reader, so 1 and 1.0 and the order of
// members reach the query as python's json.loads gives them.
#include "app/cli/jmespatherror.h"
#include "app/cli/jmespathinterpreter.h"
#include "app/cli/jmespathjson.h"
#include "app/cli/jmespathparser.h"
#include "app/cli/jmespathvalue.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <iostream>
#include <string>

namespace {

QString answer(const QString &line)
{
    const auto input = JmesPathJson::read(line);
    if (!input.ok() || !input.value().isArray() || input.value().toArray().size() != 2 ||
        !input.value().toArray()[0].isString())
        return QStringLiteral("[\"bad-input\",%1]")
            .arg(JmesPathJson::write(
                JmesPathValue::string(input.ok() ? QStringLiteral("not [expression, document]")
                                                 : input.error().message)));
    const QString expression = input.value().toArray()[0].toString();
    const JmesPathValue &document = input.value().toArray()[1];
    try {
        const auto root = JmesPathParser::parse(expression);
        const JmesPathValue result = JmesPathInterpreter::evaluate(*root, document);
        if (result.containsExpression())
            throw JmesPathError{JmesPathError::Kind::InvalidType,
                                QStringLiteral("the result holds an expression")};
        return QStringLiteral("[\"ok\",%1]")
            .arg(JmesPathJson::write(JmesPathValue::string(JmesPathJson::write(result))));
    } catch (const JmesPathError &error) {
        return QStringLiteral("[\"error\",\"%1\",%2,%3]")
            .arg(JmesPathError::kindName(error.kind))
            .arg(error.column)
            .arg(JmesPathJson::write(JmesPathValue::string(error.message)));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::string line;
    while (std::getline(std::cin, line)) {
        const QString out = answer(QString::fromStdString(line));
        std::cout << out.toStdString() << '\n';
    }
    std::cout.flush();
    return 0;
}
