#pragma once

#include <QString>

// Azure ML's rules for endpoint and deployment names: 3–32 characters, a letter first, then
// letters, digits and dashes, no dash at the end (^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$).
class ResourceName
{
public:
    static constexpr int minLength = 3;
    static constexpr int maxLength = 32;

    // What is wrong with `name`, in words a user can act on; empty when it is valid.
    static QString problem(const QString &name);
    static bool isValid(const QString &name) { return problem(name).isEmpty(); }
};
