#pragma once
/// The one seam for file-system I/O, so tests can build repositories in memory.

#include <map>
#include <string>
#include <vector>

#include "lint/core/result.h"

namespace alint {

struct DirEntry {
  std::string name;      ///< file name only
  bool is_dir = false;   ///< a directory, or a symbolic link to one (as Python's DirEntry.is_dir)
  bool is_link = false;  ///< the entry itself is a symbolic link (os.walk does not descend into it)
};

/// Largest file DiskFileSource::Read reads at all (the engine's own per-migration limit is
/// lower); anything bigger is an Error, checked before reading.
inline constexpr long long kMaxReadBytes = 64ll << 20;

/// Reads files and lists directories. Paths are '/'-separated strings. Implementations are
/// safe to call from several threads at once.
class FileSource {
 public:
  virtual ~FileSource() = default;
  /// Whole file contents; an Error naming the path when missing or unreadable. Only regular
  /// files are read: a FIFO, socket or device is an Error naming it (never a blocking read).
  virtual Result<std::string> Read(const std::string& path) const = 0;
  /// Read, except that a regular file over `max_bytes` is not read: `*too_large` gets its size
  /// (it stays -1 otherwise) and the text is empty. The default asks Size first, then reads.
  virtual Result<std::string> ReadUpTo(const std::string& path, long long max_bytes,
                                       long long* too_large) const;
  /// Entries sorted by name; an Error when `path` is not a readable directory.
  virtual Result<std::vector<DirEntry>> List(const std::string& path) const = 0;
  virtual bool IsFile(const std::string& path) const = 0;
  virtual bool IsDir(const std::string& path) const = 0;
  /// Size in bytes, or -1 when the file does not exist.
  virtual long long Size(const std::string& path) const = 0;
  /// The canonical path with every link resolved (Python's os.path.realpath), used to load a
  /// file reached by two names once; the normalised path when it cannot be resolved.
  virtual std::string RealPath(const std::string& path) const;
  /// RealPath(JoinPath(dir, entry.name)) for an entry List(dir) returned. `dir_real` is scratch
  /// for the implementation: start it empty and pass the same string for every entry of `dir`
  /// (the disk resolves the directory once, not every file's path).
  virtual std::string EntryRealPath(const std::string& dir, const DirEntry& entry,
                                    std::string& dir_real) const;
};

/// The real file system.
class DiskFileSource final : public FileSource {
 public:
  Result<std::string> Read(const std::string& path) const override;
  /// One open and fstat: the size comes with the read (no stat before it).
  Result<std::string> ReadUpTo(const std::string& path, long long max_bytes,
                               long long* too_large) const override;
  Result<std::vector<DirEntry>> List(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  bool IsDir(const std::string& path) const override;
  long long Size(const std::string& path) const override;
  std::string RealPath(const std::string& path) const override;
  std::string EntryRealPath(const std::string& dir, const DirEntry& entry,
                            std::string& dir_real) const override;

 private:
  Result<std::string> ReadFile(const std::string& path, long long max_bytes,
                               long long* too_large) const;
};

/// An in-memory tree for tests: files by full path; directories are implied by file paths
/// (plus any added explicitly).
class MemoryFileSource final : public FileSource {
 public:
  void Add(const std::string& path, std::string text);
  void AddDir(const std::string& path);
  Result<std::string> Read(const std::string& path) const override;
  Result<std::vector<DirEntry>> List(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  bool IsDir(const std::string& path) const override;
  long long Size(const std::string& path) const override;

 private:
  std::map<std::string, std::string> files_;
  std::map<std::string, bool> dirs_;
};

/// Path helpers ('/'-separated, no normalisation against the disk).
std::string JoinPath(const std::string& a, const std::string& b);
std::string DirName(const std::string& path);   ///< "a/b/c.py" -> "a/b"; "c.py" -> "."
std::string BaseName(const std::string& path);  ///< "a/b/c.py" -> "c.py"
/// Lexically normalises "a/./b/../c" -> "a/c"; keeps a leading "/" and leading "..".
std::string NormalizePath(const std::string& path);

}  // namespace alint
