#pragma once
/// One logical line of Python, as the header scanner's tokens, checked against Python 3's
/// grammar: true only when the line is certainly valid (see line_grammar.cc).
#include <span>
#include <string_view>

#include "lint/python/scan_tokens.h"

namespace alint::scan {

/// `text` is the whole file the tokens point into (f-string fields are read from it).
bool LineValid(std::span<const Token> line, std::string_view text);

}  // namespace alint::scan
