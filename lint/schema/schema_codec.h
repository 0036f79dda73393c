#pragma once
/// A migration's input to the schema replay (SchemaInput) as bytes: a streaming check holds
/// every migration's until the replay, 10,000 of them on a long history, in this form (about
/// a fifth of the memory of the objects).

#include <string>
#include <string_view>

#include "lint/schema/schema_model.h"

namespace alint {

/// Appends `in` to `out`, every field. Never empty.
void EncodeSchemaInput(const SchemaInput& in, std::string* out);

/// What EncodeSchemaInput wrote to `bytes`, equal field by field; false (and `in` unchanged)
/// when the bytes are not such an encoding.
bool DecodeSchemaInput(std::string_view bytes, SchemaInput* in);

}  // namespace alint
