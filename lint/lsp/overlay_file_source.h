#pragma once
/// A FileSource that shows the editor's open buffers over another FileSource (the disk):
/// what the user sees is what gets linted, saved or not.

#include <map>
#include <string>
#include <vector>

#include "lint/core/file_source.h"

namespace alint::lsp {

/// Paths in the overlay are absolute and normalised ('/'-separated). A buffer that does not
/// exist on disk (a new, unsaved file) is listed in its directory. Not thread-safe for
/// writers: Set/Erase must not run while another thread reads (the server mutates it only
/// between lint runs, on its one thread).
class OverlayFileSource final : public FileSource {
 public:
  /// `base` must outlive this object.
  explicit OverlayFileSource(const FileSource& base) : base_(base) {}

  void Set(const std::string& path, std::string text) { buffers_[path] = std::move(text); }
  void Erase(const std::string& path) { buffers_.erase(path); }
  /// The buffer for `path`, or nullptr when it is not open.
  const std::string* Buffer(const std::string& path) const;
  const FileSource& base() const { return base_; }
  /// The paths of all buffers, sorted.
  std::vector<std::string> Paths() const;

  Result<std::string> Read(const std::string& path) const override;
  Result<std::vector<DirEntry>> List(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  bool IsDir(const std::string& path) const override;
  long long Size(const std::string& path) const override;
  std::string RealPath(const std::string& path) const override { return base_.RealPath(path); }

 private:
  const FileSource& base_;
  std::map<std::string, std::string> buffers_;
};

}  // namespace alint::lsp
