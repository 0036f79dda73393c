#include "lint/git/git.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace alint {

namespace {

// A temporary file unlinked as soon as it is open: only the descriptor names it.
int AnonymousFile() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = fmt::format("{}/alint-git-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int fd = mkostemp(pattern.data(), O_CLOEXEC);
  if (fd >= 0) unlink(pattern.c_str());
  return fd;
}

bool WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return lseek(fd, 0, SEEK_SET) == 0;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::vector<std::string> SplitNul(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\0', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<std::string> RunGit(const std::string& dir, const std::vector<std::string>& args,
                           const std::string& input) {
  // stdin and stderr go through unlinked temporary files, so only stdout needs draining while
  // the child runs (no deadlock on large inputs or chatty errors).
  int in_fd = AnonymousFile();
  int err_fd = AnonymousFile();
  int out_pipe[2] = {-1, -1};
  auto close_all = [&] {
    for (int fd : {in_fd, err_fd, out_pipe[0], out_pipe[1]}) {
      if (fd >= 0) close(fd);
    }
  };
  if (in_fd < 0 || err_fd < 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || !WriteAll(in_fd, input)) {
    close_all();
    return Error{fmt::format("cannot run git: {}", std::strerror(errno))};
  }
  std::vector<std::string> argv_s = {"git", "-C", dir, "-c", "core.quotepath=off"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  // posix_spawn, not fork: it may run beside the load's threads (PR mode), and every
  // descriptor here is close-on-exec, so a child gets only its own three.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    close_all();
    if (spawned == ENOENT) return Error{"git is not installed (or not on PATH)"};
    return Error{fmt::format("cannot run git: {}", std::strerror(spawned))};
  }
  close(out_pipe[1]);
  out_pipe[1] = -1;
  std::string out = ReadAll(out_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  lseek(err_fd, 0, SEEK_SET);
  std::string err = ReadAll(err_fd);
  close_all();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return out;
  std::string first = err.substr(0, err.find('\n'));
  if (first.empty())
    first = fmt::format("exit status {}", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return Error{fmt::format("`git {}` failed: {}", args.empty() ? "" : args.front(), first)};
}

Result<std::string> GitTopLevel(const std::string& dir) {
  Result<std::string> r = RunGit(dir, {"rev-parse", "--show-toplevel"});
  if (!r.ok()) {
    if (r.error().message.find("not a git repository") != std::string::npos) {
      return Error{fmt::format("{} is not inside a git repository", dir)};
    }
    return r.error();
  }
  std::string top = Trim(*r);
  if (top.empty()) return Error{fmt::format("{} is not inside a git work tree", dir)};
  return top;
}

Result<std::string> GitResolveCommit(const std::string& root, const std::string& ref) {
  if (ref.empty() || ref[0] == '-') return Error{fmt::format("invalid git revision `{}`", ref)};
  Result<std::string> r =
      RunGit(root, {"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"});
  if (!r.ok() || Trim(*r).empty()) return Error{fmt::format("unknown git revision `{}`", ref)};
  return Trim(*r);
}

Result<std::vector<std::string>> GitChangedFiles(const std::string& root,
                                                 const std::string& commit) {
  // Against the work tree: committed, staged and unstaged changes alike, which is what a
  // developer running it locally means and what a CI checkout holds.
  Result<std::string> diff = RunGit(
      root, {"diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", commit, "--", "."});
  if (!diff.ok()) return diff.error();
  Result<std::string> untracked =
      RunGit(root, {"ls-files", "-z", "--others", "--exclude-standard", "--", "."});
  if (!untracked.ok()) return untracked.error();
  std::vector<std::string> out = SplitNul(*diff);
  for (std::string& p : SplitNul(*untracked)) out.push_back(std::move(p));
  return out;
}

std::string GitMergeBase(const std::string& root, const std::string& commit) {
  Result<std::string> r = RunGit(root, {"merge-base", commit, "HEAD"});
  return r.ok() ? Trim(*r) : std::string();
}

Result<std::vector<GitTreeEntry>> GitListTree(const std::string& root, const std::string& commit,
                                              const std::string& dir, bool recursive) {
  std::vector<std::string> args = {"ls-tree", "-z", "--full-tree"};
  if (recursive) args.push_back("-r");
  std::string prefix = dir.empty() || dir == "." ? "" : dir + "/";
  args.push_back(commit);
  if (!prefix.empty()) args.push_back(prefix);
  Result<std::string> listing = RunGit(root, args);
  if (!listing.ok()) return listing.error();
  // Entries: "<mode> SP <type> SP <object> TAB <path>".
  std::vector<GitTreeEntry> entries;
  for (const std::string& entry : SplitNul(*listing)) {
    size_t tab = entry.find('\t');
    if (tab == std::string::npos) continue;
    std::string meta = entry.substr(0, tab);
    if (meta.rfind("100644 blob ", 0) != 0 && meta.rfind("100755 blob ", 0) != 0) continue;
    entries.push_back({entry.substr(tab + 1), meta.substr(12)});
  }
  return entries;
}

Result<std::vector<std::string>> GitReadBlobs(const std::string& root,
                                              const std::vector<std::string>& oids) {
  std::vector<std::string> texts;
  if (oids.empty()) return texts;
  std::string batch;
  for (const std::string& oid : oids) batch += oid + "\n";
  Result<std::string> contents = RunGit(root, {"cat-file", "--batch"}, batch);
  if (!contents.ok()) return contents.error();
  // Output per object: "<oid> SP blob SP <size> LF <contents> LF".
  const std::string& c = *contents;
  size_t at = 0;
  texts.reserve(oids.size());
  for (size_t i = 0; i < oids.size(); ++i) {
    size_t nl = c.find('\n', at);
    if (nl == std::string::npos) return Error{"`git cat-file --batch`: truncated output"};
    std::string header = c.substr(at, nl - at);
    size_t sp = header.rfind(' ');
    if (sp == std::string::npos || header.find(" blob ") == std::string::npos) {
      return Error{fmt::format("`git cat-file --batch`: unexpected `{}`", header)};
    }
    size_t size = std::strtoull(header.c_str() + sp + 1, nullptr, 10);
    if (nl + 1 + size > c.size()) return Error{"`git cat-file --batch`: truncated output"};
    texts.push_back(c.substr(nl + 1, size));
    at = nl + 1 + size + 1;
  }
  return texts;
}

Result<std::vector<GitBlob>> GitReadTree(const std::string& root, const std::string& commit,
                                         const std::string& dir, bool recursive) {
  Result<std::vector<GitTreeEntry>> entries = GitListTree(root, commit, dir, recursive);
  if (!entries.ok()) return entries.error();
  std::vector<std::string> oids;
  for (const GitTreeEntry& e : *entries) oids.push_back(e.oid);
  Result<std::vector<std::string>> texts = GitReadBlobs(root, oids);
  if (!texts.ok()) return texts.error();
  std::vector<GitBlob> blobs;
  for (size_t i = 0; i < entries->size(); ++i) {
    blobs.push_back({std::move((*entries)[i].path), std::move((*texts)[i])});
  }
  return blobs;
}

}  // namespace alint
