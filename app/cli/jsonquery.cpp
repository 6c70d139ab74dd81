#include "app/cli/jsonquery.h"

#include "app/cli/jmespatherror.h"
#include "app/cli/jmespathinterpreter.h"
#include "app/cli/jmespathparser.h"

Result<JsonQuery> JsonQuery::compile(const QString &expression)
{
    try {
        JsonQuery query;
        query.m_root = JmesPathParser::parse(expression);
        return query;
    } catch (const JmesPathError &error) {
        SourceLocation location;
        location.line = 1;
        location.column = error.column;
        return Result<JsonQuery>::failure(error.toString(), location);
    }
}

Result<QJsonValue> JsonQuery::evaluate(const QJsonValue &document) const
{
    try {
        const JmesPathValue result =
            JmesPathInterpreter::evaluate(*m_root, JmesPathValue::fromQJsonValue(document));
        if (result.containsExpression())
            throw JmesPathError{JmesPathError::Kind::InvalidType,
                                QStringLiteral("the result holds an expression (&...), which is "
                                               "only meaningful as a function argument")};
        return result.toQJsonValue();
    } catch (const JmesPathError &error) {
        return Result<QJsonValue>::failure(error.toString());
    }
}
