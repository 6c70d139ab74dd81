#pragma once

#include "app/invoke/scoringrequest.h"

#include <QString>

// "Copy as curl" and "Copy as Python": the same request ScoringClient sends, as text a user
// pastes into a POSIX shell or a Python file.
class RequestSnippets
{
public:
    // `'…'` with every `'` written as `'\''`: safe for any text in sh, bash and zsh.
    static QString shellQuote(const QString &text);
    // A Python string literal (double quotes, JSON-style escapes).
    static QString pythonString(const QString &text);

    static QString curl(const ScoringRequest &request);
    static QString python(const ScoringRequest &request);
};
