#pragma once
/// Internal to lint/python: reads the text of a call straight into an Expr, without visiting
/// tree nodes (each costs hundreds of instructions in tree-sitter 0.20, more than reading the
/// bytes). Covers the shapes op.* calls are made of: strings, numbers, names, dotted names,
/// calls on dotted names, keyword arguments, lists and dicts of those. Anything else (comments,
/// line continuations, operators, subscripts, parentheses, f-strings, splats, lambdas,
/// comprehensions, keywords, non-ASCII names) gives nullopt and the caller reads the tree.

#include <optional>
#include <string_view>

#include "lint/python/migration.h"

namespace alint {

/// The Expr that ToExpr builds from the tree for the error-free `call` node spanning
/// `file[begin, end)`, or nullopt when the text is not one of the covered shapes.
std::optional<Expr> ScanCallExpr(std::string_view file, FileId id, uint32_t begin, uint32_t end);

}  // namespace alint
