#pragma once
/// Where a long check keeps each file's findings between linting the file and reporting it:
/// encoded (lint/core/finding_codec.h) into an unlinked temporary file, so the findings of a
/// 10,000-migration history (tens of megabytes as objects) are not held in memory while the
/// rest of the history is read. When no temporary file can be made, the encoded bytes stay in
/// memory (still one allocation per file rather than several per finding).

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/result.h"
#include "lint/core/source.h"

namespace alint {

class FindingSpill {
 public:
  /// Room for files 0..files-1. The temporary file is made in $TMPDIR (else /tmp) and
  /// unlinked at once: nothing is left behind, whatever ends the run.
  explicit FindingSpill(size_t files);
  ~FindingSpill();
  FindingSpill(const FindingSpill&) = delete;
  FindingSpill& operator=(const FindingSpill&) = delete;

  /// Sets file `id`'s findings aside, replacing any earlier ones. Safe from several threads.
  void Put(FileId id, const std::vector<Finding>& findings);
  /// True when Put was called for `id` (and Take has not been).
  bool Has(FileId id) const;
  /// File `id`'s findings (none when Put was not called); forgets them. Safe from several
  /// threads. An error when the temporary file could not be written or read back.
  Result<std::vector<Finding>> Take(FileId id);
  /// True when the findings go to a temporary file (false: held in memory).
  bool on_disk() const { return fd_ >= 0; }

 private:
  struct Record {
    uint64_t offset = 0;
    uint64_t size = 0;
    bool set = false;
    bool write_failed = false;
    std::string bytes;  ///< in memory, when there is no temporary file
  };
  mutable std::mutex mu_;
  int fd_ = -1;
  uint64_t end_ = 0;
  std::vector<Record> records_;
};

}  // namespace alint
