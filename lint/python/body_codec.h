#pragma once
/// A migration's body facts (its op calls, SQL strings and dynamic SQL) as bytes: a streaming
/// check keeps the bodies of the files whose findings the history may change in this form
/// (a few KiB each) rather than parse them again for the second pass, or hold them as facts.

#include <string>
#include <string_view>

#include "lint/python/migration.h"

namespace alint {

/// Appends `m.ops`, `m.sql` and `m.dynamic_sql` to `out`, every field. `src` is the text
/// they were read from: a text that is a slice of it is written as where it sits.
void EncodeBody(const Migration& m, std::string_view src, std::string* out);

/// Sets `m->ops`, `m->sql` and `m->dynamic_sql` to what EncodeBody wrote to `bytes` (from
/// the same `src`), equal field by field. False (and `m` unchanged) when the bytes are not
/// such an encoding or point outside `src`.
bool DecodeBody(std::string_view bytes, std::string_view src, Migration* m);

}  // namespace alint
