#pragma once

#include "models/diagnostic.h"

#include <QString>

#include <utility>
#include <variant>

// An error that says what went wrong and, where it can, where.
struct Error
{
    QString message;
    SourceLocation location;
};

// A value or the error that prevented it (std::expected is C++23).
template<typename T>
class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    {}
    Result(Error error)
        : m_data(std::move(error))
    {}
    static Result failure(QString message, SourceLocation location = {})
    {
        return Result(Error{std::move(message), std::move(location)});
    }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T *operator->() const { return &std::get<T>(m_data); }
    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};
