#include "lint/core/file_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace alint {

namespace fs = std::filesystem;

namespace {

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

// open + fstat + one read into a string of the right size: a run reads every migration of
// the environment, and the stream-based copy (filebuf -> stringbuf -> string) cost more than
// the read itself. O_NONBLOCK: opening a FIFO with no writer must not block (nor a device
// wait for carrier); only regular files are then read, so the flag changes nothing for them.
Result<std::string> DiskFileSource::Read(const std::string& path) const {
  return ReadFile(path, -1, nullptr);
}

Result<std::string> DiskFileSource::ReadUpTo(const std::string& path, long long max_bytes,
                                             long long* too_large) const {
  *too_large = -1;
  return ReadFile(path, max_bytes, too_large);
}

Result<std::string> FileSource::ReadUpTo(const std::string& path, long long max_bytes,
                                         long long* too_large) const {
  *too_large = -1;
  long long size = Size(path);
  if (size > max_bytes) {
    *too_large = size;
    return std::string();
  }
  return Read(path);
}

// `too_large` null: read whatever the size (Read); else a regular file over `max_bytes` is
// only measured, as FileSource::ReadUpTo's Size would (a file that cannot be opened too).
Result<std::string> DiskFileSource::ReadFile(const std::string& path, long long max_bytes,
                                             long long* too_large) const {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    struct stat st;
    if (too_large != nullptr && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > max_bytes) {
      *too_large = st.st_size;
      return std::string();
    }
    return Error{path + ": cannot read file: " + std::strerror(err)};
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Error{path + ": cannot read file: " + std::strerror(err)};
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    if (S_ISDIR(st.st_mode)) return Error{path + ": cannot read file: " + std::strerror(EISDIR)};
    return Error{path + ": not read: " + KindOf(st.st_mode) + ", not a regular file"};
  }
  if (too_large != nullptr && st.st_size > max_bytes) {
    ::close(fd);
    *too_large = st.st_size;
    return std::string();
  }
  if (st.st_size > kMaxReadBytes) {
    ::close(fd);
    return Error{path + ": not read: the file is " + std::to_string(st.st_size >> 20) +
                 " MiB, over the " + std::to_string(kMaxReadBytes >> 20) + " MiB read limit"};
  }
  // Read as the size fstat gave (a snapshot: no extra read to see EOF, no slack; the engine
  // keeps every text for the whole run). A regular file that says 0 (/proc) is read until EOF,
  // never past the limit.
  size_t expect = st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  std::string text(expect > 0 ? expect : 4096, '\0');
  size_t got = 0;
  while (expect == 0 || got < expect) {
    if (got == text.size()) {
      if (text.size() >= static_cast<size_t>(kMaxReadBytes)) {
        ::close(fd);
        return Error{path + ": not read: over the " + std::to_string(kMaxReadBytes >> 20) +
                     " MiB read limit"};
      }
      text.resize(text.size() * 2);
    }
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Error{path + ": read error: " + std::strerror(err)};
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  if (text.capacity() > got + got / 8 + 64) text.shrink_to_fit();  // the size hint was wrong
  return text;
}

// readdir's d_type says what most entries are without a system call (what
// std::filesystem::directory_entry caches too); a link is followed with stat to tell whether it
// leads to a directory, and a file system that leaves d_type unknown gets an lstat.
Result<std::vector<DirEntry>> DiskFileSource::List(const std::string& path) const {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    return Error{path + ": cannot list directory: " +
                 std::error_code(errno, std::generic_category()).message()};
  }
  std::vector<DirEntry> out;
  std::string full = path;
  if (!full.empty() && full.back() != '/') full += '/';
  const size_t prefix = full.size();
  while (const dirent* e = ::readdir(d)) {
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
    DirEntry entry;
    entry.name = n;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN || type == DT_LNK) {
      full.resize(prefix);
      full += entry.name;
      struct stat st;
      if (type == DT_UNKNOWN) {
        type = ::lstat(full.c_str(), &st) != 0 ? DT_UNKNOWN
               : S_ISLNK(st.st_mode)           ? DT_LNK
               : S_ISDIR(st.st_mode)           ? DT_DIR
                                               : DT_REG;
      }
      if (type == DT_LNK) {
        entry.is_link = true;
        entry.is_dir = ::stat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
      }
    }
    if (type == DT_DIR) entry.is_dir = true;
    out.push_back(std::move(entry));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

bool DiskFileSource::IsFile(const std::string& path) const {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool DiskFileSource::IsDir(const std::string& path) const {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

long long DiskFileSource::Size(const std::string& path) const {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? -1 : static_cast<long long>(n);
}

std::string FileSource::RealPath(const std::string& path) const { return NormalizePath(path); }

std::string DiskFileSource::RealPath(const std::string& path) const {
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  return ec ? NormalizePath(path) : real.string();
}

std::string FileSource::EntryRealPath(const std::string& dir, const DirEntry& entry,
                                      std::string& /*dir_real*/) const {
  return RealPath(JoinPath(dir, entry.name));
}

// An entry that is no link resolves to its directory's real path and its own name: one
// realpath per directory instead of one per file (each resolves every component).
std::string DiskFileSource::EntryRealPath(const std::string& dir, const DirEntry& entry,
                                          std::string& dir_real) const {
  if (entry.is_link || entry.name.empty() || entry.name == "." || entry.name == ".." ||
      entry.name.find('/') != std::string::npos) {
    return RealPath(JoinPath(dir, entry.name));
  }
  if (dir_real.empty()) {
    std::error_code ec;
    fs::path real = fs::canonical(dir, ec);
    dir_real = ec ? "-" : real.string();  // "-": no real path, resolve each file instead
  }
  if (dir_real.empty() || dir_real[0] != '/') return RealPath(JoinPath(dir, entry.name));
  return dir_real.back() == '/' ? dir_real + entry.name : dir_real + '/' + entry.name;
}

void MemoryFileSource::Add(const std::string& path, std::string text) {
  std::string p = NormalizePath(path);
  files_[p] = std::move(text);
  for (std::string d = DirName(p); d != "." && d != "/" && !d.empty(); d = DirName(d))
    dirs_[d] = true;
}

void MemoryFileSource::AddDir(const std::string& path) { dirs_[NormalizePath(path)] = true; }

Result<std::string> MemoryFileSource::Read(const std::string& path) const {
  auto it = files_.find(NormalizePath(path));
  if (it == files_.end()) return Error{path + ": cannot read file: No such file or directory"};
  return it->second;
}

Result<std::vector<DirEntry>> MemoryFileSource::List(const std::string& path) const {
  std::string p = NormalizePath(path);
  if (p != "." && !dirs_.count(p))
    return Error{path + ": cannot list directory: No such file or directory"};
  std::map<std::string, bool> names;
  auto consider = [&](const std::string& full, bool is_dir) {
    if (DirName(full) == p) names[BaseName(full)] = is_dir;
  };
  for (const auto& [f, _] : files_) consider(f, false);
  for (const auto& [d, _] : dirs_) consider(d, true);
  std::vector<DirEntry> out;
  for (const auto& [n, d] : names) out.push_back({n, d});
  return out;
}

bool MemoryFileSource::IsFile(const std::string& path) const {
  return files_.count(NormalizePath(path)) > 0;
}
bool MemoryFileSource::IsDir(const std::string& path) const {
  std::string p = NormalizePath(path);
  return p == "." || dirs_.count(p) > 0;
}
long long MemoryFileSource::Size(const std::string& path) const {
  auto it = files_.find(NormalizePath(path));
  return it == files_.end() ? -1 : static_cast<long long>(it->second.size());
}

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty() || a == ".") return b;
  if (!b.empty() && b[0] == '/') return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

std::string DirName(const std::string& path) {
  auto pos = path.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return path.substr(0, pos);
}

std::string BaseName(const std::string& path) {
  auto pos = path.find_last_of('/');
  return pos == std::string::npos ? path : path.substr(pos + 1);
}

std::string NormalizePath(const std::string& path) {
  if (path.empty()) return ".";
  bool abs = path[0] == '/';
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&] {
    if (cur.empty() || cur == ".") {
    } else if (cur == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (cur == ".." && abs) {
    } else {
      parts.push_back(cur);
    }
    cur.clear();
  };
  for (char c : path) {
    if (c == '/')
      flush();
    else
      cur += c;
  }
  flush();
  std::string out = abs ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  if (out.empty()) return abs ? "/" : ".";
  return out;
}

}  // namespace alint
