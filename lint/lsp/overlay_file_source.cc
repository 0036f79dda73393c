#include "lint/lsp/overlay_file_source.h"

#include <algorithm>

namespace alint::lsp {

namespace {

// The directory prefix "dir/" (so "/a/b" does not match "/a/bc/x").
std::string DirPrefix(const std::string& dir) { return dir.ends_with('/') ? dir : dir + "/"; }

}  // namespace

const std::string* OverlayFileSource::Buffer(const std::string& path) const {
  auto it = buffers_.find(path);
  return it == buffers_.end() ? nullptr : &it->second;
}

std::vector<std::string> OverlayFileSource::Paths() const {
  std::vector<std::string> out;
  for (const auto& [path, text] : buffers_) out.push_back(path);
  return out;
}

Result<std::string> OverlayFileSource::Read(const std::string& path) const {
  if (const std::string* b = Buffer(path)) return *b;
  return base_.Read(path);
}

Result<std::vector<DirEntry>> OverlayFileSource::List(const std::string& path) const {
  Result<std::vector<DirEntry>> listed = base_.List(path);
  std::vector<DirEntry> entries;
  if (listed.ok()) entries = std::move(listed).value();
  std::string prefix = DirPrefix(path);
  bool any = false;
  for (auto it = buffers_.lower_bound(prefix); it != buffers_.end(); ++it) {
    const std::string& p = it->first;
    if (p.compare(0, prefix.size(), prefix) != 0) break;
    any = true;
    std::string rest = p.substr(prefix.size());
    size_t slash = rest.find('/');
    DirEntry e{slash == std::string::npos ? rest : rest.substr(0, slash),
               slash != std::string::npos};
    bool known = std::any_of(entries.begin(), entries.end(),
                             [&](const DirEntry& d) { return d.name == e.name; });
    if (!known && !e.name.empty()) entries.push_back(std::move(e));
  }
  if (!listed.ok() && !any) return listed.error();
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

bool OverlayFileSource::IsFile(const std::string& path) const {
  return buffers_.count(path) > 0 || base_.IsFile(path);
}

bool OverlayFileSource::IsDir(const std::string& path) const {
  if (base_.IsDir(path)) return true;
  std::string prefix = DirPrefix(path);
  auto it = buffers_.lower_bound(prefix);
  return it != buffers_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

long long OverlayFileSource::Size(const std::string& path) const {
  if (const std::string* b = Buffer(path)) return static_cast<long long>(b->size());
  return base_.Size(path);
}

}  // namespace alint::lsp
