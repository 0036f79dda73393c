#include "lint/engine/finding_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "lint/core/finding_codec.h"

namespace alint {

namespace {

int OpenUnlinkedTemp() {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/alembic-lint-findings-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0) return -1;
  unlink(pattern.c_str());
  return fd;
}

bool WriteAll(int fd, const std::string& bytes, uint64_t offset) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, std::string* bytes, uint64_t offset) {
  size_t done = 0;
  while (done < bytes->size()) {
    const ssize_t n =
        pread(fd, bytes->data() + done, bytes->size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

FindingSpill::FindingSpill(size_t files) : fd_(OpenUnlinkedTemp()), records_(files) {}

FindingSpill::~FindingSpill() {
  if (fd_ >= 0) close(fd_);
}

void FindingSpill::Put(FileId id, const std::vector<Finding>& findings) {
  if (id >= records_.size()) return;
  std::string bytes;
  if (!findings.empty()) EncodeFindings(findings, &bytes);
  uint64_t offset = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Record& r = records_[id];
    r = Record{};
    r.set = true;
    r.size = bytes.size();
    if (fd_ < 0) {
      r.bytes = std::move(bytes);
      return;
    }
    offset = r.offset = end_;
    end_ += bytes.size();
  }
  // Outside the lock: each writer owns its reserved range of the file.
  if (!bytes.empty() && !WriteAll(fd_, bytes, offset)) {
    std::lock_guard<std::mutex> lock(mu_);
    records_[id].write_failed = true;
    records_[id].bytes = std::move(bytes);  // kept in memory instead
  }
}

bool FindingSpill::Has(FileId id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return id < records_.size() && records_[id].set;
}

Result<std::vector<Finding>> FindingSpill::Take(FileId id) {
  Record r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (id >= records_.size() || !records_[id].set) return std::vector<Finding>{};
    r = std::move(records_[id]);
    records_[id] = Record{};
  }
  if (r.size == 0) return std::vector<Finding>{};
  if (fd_ >= 0 && !r.write_failed) {
    r.bytes.resize(r.size);
    if (!ReadAll(fd_, &r.bytes, r.offset)) {
      return Error{"cannot read back the findings set aside in a temporary file"};
    }
  }
  return DecodeFindings(r.bytes);
}

}  // namespace alint
