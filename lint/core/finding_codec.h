#pragma once
/// Findings as bytes: a file's findings encoded into one contiguous string, so a long check
/// can set them aside (lint/engine/finding_spill.h) between linting a file and reporting it,
/// holding one allocation per file instead of several per finding, or none at all.

#include <string>
#include <string_view>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/result.h"

namespace alint {

/// Appends `findings` to `out`, every field of every Finding (related, fix, notes included).
void EncodeFindings(const std::vector<Finding>& findings, std::string* out);

/// The findings EncodeFindings wrote to `bytes`, equal field by field; an error when the bytes
/// are cut short or are not an encoding (a spill file damaged behind the run's back).
Result<std::vector<Finding>> DecodeFindings(std::string_view bytes);

}  // namespace alint
