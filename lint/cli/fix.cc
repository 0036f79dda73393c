// `alembic-lint fix`: applies the fixes that findings carry (Finding::fix: the same edits the
// language server offers as quick fixes). Pass after pass, in memory: lint, pick the fixes that
// may be applied, apply those that do not overlap, lint again on the patched texts, until no
// fix is left (or a pass limit). Then each changed file is written atomically, or with --diff
// printed as a unified diff and nothing is written.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/cli/commands.h"
#include "lint/core/file_source.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/file_template.h"
#include "lint/rulekit/graph_util.h"
#include "lint/rulekit/revision_id.h"

namespace alint {
namespace {

// The disk, with some files' texts replaced by the fixed ones (keyed by the path the
// workspace reads them with).
class PatchedFileSource final : public FileSource {
 public:
  explicit PatchedFileSource(const FileSource& base) : base_(base) {}
  void Set(const std::string& path, std::string text) {
    removed_.erase(path);
    patched_[path] = std::move(text);
  }
  // `path` no longer exists (renamed away).
  void Remove(const std::string& path) {
    patched_.erase(path);
    removed_.insert(path);
  }
  const std::map<std::string, std::string>& patched() const { return patched_; }
  const std::set<std::string>& removed() const { return removed_; }

  Result<std::string> Read(const std::string& path) const override {
    if (auto it = patched_.find(path); it != patched_.end()) return it->second;
    if (removed_.count(path)) return Error{path + ": no such file"};
    return base_.Read(path);
  }
  Result<std::string> ReadUpTo(const std::string& path, long long max_bytes,
                               long long* too_large) const override {
    if (auto it = patched_.find(path); it != patched_.end()) {
      if (static_cast<long long>(it->second.size()) > max_bytes) {
        *too_large = static_cast<long long>(it->second.size());
        return std::string();
      }
      return it->second;
    }
    if (removed_.count(path)) return Error{path + ": no such file"};
    return base_.ReadUpTo(path, max_bytes, too_large);
  }
  // The directory as it will be: renamed files under their new names.
  Result<std::vector<DirEntry>> List(const std::string& path) const override {
    Result<std::vector<DirEntry>> base = base_.List(path);
    if (!base.ok()) return base;
    std::vector<DirEntry> out;
    std::set<std::string> names;
    const std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
    for (DirEntry& e : *base) {
      if (removed_.count(prefix + e.name)) continue;
      names.insert(e.name);
      out.push_back(std::move(e));
    }
    for (const auto& [p, text] : patched_) {
      if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string name = p.substr(prefix.size());
      if (name.find('/') != std::string::npos || names.count(name)) continue;
      out.push_back(DirEntry{name, false, false});
      names.insert(name);
    }
    std::sort(out.begin(), out.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return out;
  }
  bool IsFile(const std::string& path) const override {
    if (patched_.count(path)) return true;
    if (removed_.count(path)) return false;
    return base_.IsFile(path);
  }
  bool IsDir(const std::string& path) const override { return base_.IsDir(path); }
  long long Size(const std::string& path) const override {
    if (auto it = patched_.find(path); it != patched_.end())
      return static_cast<long long>(it->second.size());
    return base_.Size(path);
  }
  std::string RealPath(const std::string& path) const override { return base_.RealPath(path); }

 private:
  const FileSource& base_;
  std::map<std::string, std::string> patched_;
  std::set<std::string> removed_;
};

// Writes `text` to `path` through a temporary file in the same directory (same file system),
// flushed, then renamed over it: a reader sees the old file or the new one, never half of
// one. The file keeps its permission bits. ALINT_FIX_FAIL_WRITE=1 (tests) makes the write fail
// half way, as a full disk would.
Status WriteAtomically(const std::string& path, const std::string& text) {
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmp = dir + "/." + base + ".alint-XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    return Status(Error{fmt::format("{}: cannot create a temporary file in {}: {}", path, dir,
                                    std::strerror(errno))});
  tmp = name.data();
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status(Error{fmt::format("{}: {}: {}; the file is unchanged", path, what, reason)});
  };
  const char* inject = std::getenv("ALINT_FIX_FAIL_WRITE");
  const bool fail_half = inject != nullptr && std::string_view(inject) == "1";
  size_t done = 0;
  const size_t limit = fail_half ? text.size() / 2 : text.size();
  while (done < limit) {
    const ssize_t n = ::write(fd, text.data() + done, limit - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (fail_half) {
    errno = ENOSPC;
    return fail("cannot write");
  }
  if (exists && ::fchmod(fd, st.st_mode & 07777) != 0) return fail("cannot set permissions");
  if (::fsync(fd) != 0) return fail("cannot flush");
  if (::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status(Error{fmt::format("{}: cannot close: {}; the file is unchanged", path, reason)});
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status(
        Error{fmt::format("{}: cannot replace: {}; the file is unchanged", path, reason)});
  }
  return Status();
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

// A unified diff (3 lines of context) of `before` and `after`, as `diff -u` prints it.
std::string UnifiedDiff(const std::string& path, std::string_view before, std::string_view after) {
  const std::vector<std::string_view> a = Lines(before), b = Lines(after);
  // Common prefix and suffix, then a line LCS of the middle (small: fixes are local).
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  const size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  // ops: ' ' keep, '-' from a, '+' from b, over the whole files.
  std::vector<std::pair<char, std::string_view>> ops;
  for (size_t i = 0; i < pre; ++i) ops.push_back({' ', a[i]});
  if (n * m <= 4'000'000) {
    std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        lcs[i][j] = a[pre + i] == b[pre + j] ? lcs[i + 1][j + 1] + 1
                                             : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        ops.push_back({' ', a[pre + i]});
        ++i, ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.push_back({'-', a[pre + i++]});  // removals first, as diff -u prints them
      } else {
        ops.push_back({'+', b[pre + j++]});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) ops.push_back({'-', a[pre + i]});
    for (size_t j = 0; j < m; ++j) ops.push_back({'+', b[pre + j]});
  }
  for (size_t i = a.size() - suf; i < a.size(); ++i) ops.push_back({' ', a[i]});

  std::string out = fmt::format("--- {}\n+++ {}\n", path, path);
  constexpr size_t kContext = 3;
  size_t k = 0;
  while (k < ops.size()) {
    if (ops[k].first == ' ') {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the last change that
    // is at most 2 * kContext lines from the next.
    size_t start = k > kContext ? k - kContext : 0;
    size_t end = k;
    while (end < ops.size()) {
      size_t next = end;
      while (next < ops.size() && ops[next].first == ' ') ++next;
      if (next == ops.size() || next - end > 2 * kContext) break;
      end = next;
      while (end < ops.size() && ops[end].first != ' ') ++end;
    }
    const size_t stop = std::min(ops.size(), end + kContext);
    size_t a_line = 1, b_line = 1;
    for (size_t i = 0; i < start; ++i) {
      if (ops[i].first != '+') ++a_line;
      if (ops[i].first != '-') ++b_line;
    }
    size_t a_count = 0, b_count = 0;
    std::string body;
    for (size_t i = start; i < stop; ++i) {
      if (ops[i].first != '+') ++a_count;
      if (ops[i].first != '-') ++b_count;
      body += ops[i].first;
      body += ops[i].second;
      if (ops[i].second.empty() || ops[i].second.back() != '\n')
        body += "\n\\ No newline at end of file\n";
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_count ? a_line : a_line - 1, a_count,
                       b_count ? b_line : b_line - 1, b_count);
    out += body;
    k = stop;
  }
  return out;
}

// A merge revision for environment `e` when its graph has more heads than `expected`: the
// file `alembic merge heads -m "merge heads"` would write (Alembic's template), named per the
// environment's file_template in its first version directory. nullopt when there is nothing
// to merge or the graph does not load.
std::optional<std::pair<std::string, std::string>> MergeRevision(const Workspace& ws, size_t e,
                                                                 int64_t expected) {
  const RevisionGraph& g = *ws.graphs[e];
  const Environment& env = ws.envs[e];
  if (g.alembic_error() || g.incomplete() || env.version_dirs.empty()) return std::nullopt;
  const std::vector<std::string> heads = g.Ids(g.heads());
  if (static_cast<int64_t>(heads.size()) <= expected) return std::nullopt;
  std::string seed;
  for (const std::string& h : heads) seed += h + ",";
  const std::string id = rulekit::FreshRevisionId(
      seed, [&g](const std::string& candidate) { return !g.NodesWithId(candidate).empty(); });
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  rulekit::TemplateValues values;
  values.slug = "merge_heads";
  values.epoch = static_cast<long long>(now);
  values.year = tm.tm_year + 1900;
  values.month = tm.tm_mon + 1;
  values.day = tm.tm_mday;
  values.hour = tm.tm_hour;
  values.minute = tm.tm_min;
  values.second = tm.tm_sec;
  const std::string name = rulekit::FileTemplate::Parse(env.file_template).Render(id, values);
  std::string revises, down;
  for (const std::string& h : heads) {
    revises += (revises.empty() ? "" : ", ") + h;
    down += (down.empty() ? "" : ", ") + fmt::format("'{}'", h);
  }
  const std::string text = fmt::format(
      "\"\"\"merge heads\n\nRevision ID: {0}\nRevises: {1}\nCreate Date: "
      "{2:04}-{3:02}-{4:02} {5:02}:{6:02}:{7:02}.000000\n\n\"\"\"\n"
      "from alembic import op\nimport sqlalchemy as sa\n\n\n"
      "# revision identifiers, used by Alembic.\nrevision = '{0}'\ndown_revision = ({8})\n"
      "branch_labels = None\ndepends_on = None\n\n\n"
      "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n",
      id, revises, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
      down);
  return std::make_pair(env.version_dirs.front() + "/" + name, text);
}

// A fix that gives a migration a new id (Fix::new_id) also rewrites every down_revision and
// depends_on naming the old id in its environment, and renames the file after the new id
// (file_template). Returns the fix with those edits and the rename added, or an error when the
// new id is taken or the old one is not unique (which file a reference meant is unknown).
Result<Fix> Expand(const Fix& fix, const Workspace& ws, bool history_known) {
  Fix out = fix;
  if (fix.new_id.from.empty()) return out;
  const Fix::IdChange& change = fix.new_id;
  // A database that ran the old id would no longer find it: only when the run knows what
  // production ran (`applied`, whose revisions are refused) or fixes a branch's own files.
  if (!history_known) {
    return Error{fmt::format(
        "it renames revision `{}`, which a database may have run; say what production ran "
        "with `applied` (`alembic-lint baseline`), or fix a branch's own migrations with "
        "--since",
        change.from)};
  }
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    const std::vector<FileId>& files = ws.envs[e].files;
    if (std::find(files.begin(), files.end(), change.file) == files.end()) continue;
    const RevisionGraph& g = *ws.graphs[e];
    if (!g.NodesWithId(change.to).empty()) return Error{"the new id is already taken"};
    if (change.references) {
      if (g.NodesWithId(change.from).size() > 1) {
        return Error{
            fmt::format("`{}` is declared more than once: which references mean this "
                        "file is unknown",
                        change.from)};
      }
      for (const GraphNode& n : g.nodes()) {
        for (const auto* refs : {&n.down, &n.depends_on}) {
          for (const RevRef& r : *refs) {
            if (r.value != change.from || r.span.file >= ws.files.size()) continue;
            std::optional<Edit> edit =
                rulekit::LiteralEdit(ws.files[r.span.file], r.span, change.to);
            if (!edit) {
              return Error{
                  fmt::format("a reference to `{}` is not a plain string literal", change.from)};
            }
            out.edits.push_back(std::move(*edit));
          }
        }
      }
    }
    const std::string& path = ws.files[change.file].path;
    const std::string name = path.substr(path.rfind('/') + 1);
    std::optional<std::string> renamed =
        rulekit::FileTemplate::Parse(ws.envs[e].file_template).ReplaceRev(name, change.to);
    if (!renamed && name.rfind(change.from + "_", 0) == 0)
      renamed = change.to + name.substr(change.from.size());
    if (renamed && *renamed != name) out.renames.push_back({change.file, *renamed});
    break;
  }
  return out;
}

struct Refusal {
  std::string where, rule, reason;
};

}  // namespace

int RunFix(const FixArgs& args) {
  DiskFileSource disk;
  PatchedFileSource fs(disk);
  std::map<std::string, std::string> original;      // path -> text before the first fix
  std::map<std::string, std::string> display;       // path -> path as shown
  std::map<std::string, std::string> renamed_from;  // new path -> original path
  std::map<std::string, size_t> fixed_by_rule;
  std::vector<Refusal> refused;
  std::set<std::string> refused_keys;
  size_t left = 0;
  constexpr int kMaxPasses = 8;
  int pass = 0;
  for (; pass < kMaxPasses; ++pass) {
    Result<CheckRun> run = LintFor(fs, args.check);
    if (!run.ok()) return Fail(run.error().message);
    if (pass == 0) {
      for (const std::string& w : run->ws.warnings)
        std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());
    }
    const Workspace& ws = run->ws;
    bool history_known = run->since != nullptr || !run->settings.applied.empty();
    for (const Environment& env : ws.envs) history_known = history_known || !env.applied.empty();
    // --merge: a merge revision per environment with too many heads, before anything else
    // (it replaces the rechain that multiple-heads would offer).
    if (args.merge) {
      int64_t expected = 1;
      if (auto it = run->settings.options.find("expected-heads"); it != run->settings.options.end())
        expected = it->second.number;
      bool created = false;
      for (size_t e = 0; e < ws.envs.size(); ++e) {
        auto merge = MergeRevision(ws, e, expected);
        if (!merge || fs.IsFile(merge->first)) continue;
        fs.Set(merge->first, merge->second);
        display[merge->first] = merge->first;
        for (const SourceFile& sf : ws.files) {  // shown like the other files
          const std::string dir = merge->first.substr(0, merge->first.rfind('/') + 1);
          if (sf.path.rfind(dir, 0) == 0 && !sf.display_path.empty()) {
            const size_t cut = sf.path.size() - sf.display_path.size();
            if (sf.path.substr(cut) == sf.display_path)
              display[merge->first] = merge->first.substr(cut);
            break;
          }
        }
        ++fixed_by_rule["multiple-heads (merge revision)"];
        created = true;
      }
      if (created) continue;
    }
    // Accepted edits per file, and the fixes' rules, for this pass.
    std::map<FileId, std::vector<Edit>> edits;
    std::vector<FileRename> renames;
    std::vector<std::string> accepted_rules;
    left = 0;
    for (const Finding& f : run->findings) {
      if (!f.fix || (f.fix->edits.empty() && f.fix->renames.empty())) continue;
      if (args.merge && f.HasRule("multiple-heads")) continue;  // merged, not rechained
      if (f.fix->applicability == Applicability::kDisplayOnly) continue;
      if (f.fix->applicability == Applicability::kUnsafe && !args.unsafe) {
        ++left;
        continue;
      }
      const SourceFile& at = ws.files[f.span.file < ws.files.size() ? f.span.file : 0];
      const std::string where = fmt::format("{}:{}", at.display_path, at.Locate(f.span.begin).line);
      Result<Fix> expanded = Expand(*f.fix, ws, history_known);
      if (!expanded.ok()) {
        const std::string& rule = f.fix->rule.empty() ? f.rule : f.fix->rule;
        if (refused_keys.insert(where + rule + expanded.error().message).second)
          refused.push_back({where, rule, expanded.error().message});
        continue;
      }
      const Fix& fix = *expanded;
      // Never rewrite what production already ran, nor (PR mode) a file outside the change.
      std::string why;
      std::vector<Edit> touched = fix.edits;
      for (const FileRename& r : fix.renames) touched.push_back(Edit{Span{r.file, 0, 0}, ""});
      for (const Edit& e : touched) {
        if (e.span.file >= ws.files.size()) {
          why = "it edits a file outside the run";
        } else if (e.span.file < run->applied.size() && run->applied[e.span.file]) {
          why = fmt::format("{} is a revision production already ran (`applied`)",
                            ws.files[e.span.file].display_path);
        } else if (run->since && !ws.loaded[e.span.file].report_on) {
          why = fmt::format("{} is not changed since {} (PR mode fixes the change only)",
                            ws.files[e.span.file].display_path, args.check.since);
        }
        if (!why.empty()) break;
      }
      if (!why.empty()) {
        const std::string& rule = fix.rule.empty() ? f.rule : fix.rule;
        if (refused_keys.insert(where + rule + why).second) refused.push_back({where, rule, why});
        continue;
      }
      // Skip a fix that overlaps one accepted in this pass: the next pass sees it again.
      bool overlaps = false;
      for (const Edit& e : fix.edits) {
        for (const Edit& o : edits[e.span.file]) {
          if (e.span.begin < o.span.end && o.span.begin < e.span.end) overlaps = true;
          if (e.span.begin == e.span.end && o.span.begin == o.span.end &&
              e.span.begin == o.span.begin)
            overlaps = true;
        }
      }
      if (overlaps) continue;
      for (const Edit& e : fix.edits) edits[e.span.file].push_back(e);
      renames.insert(renames.end(), fix.renames.begin(), fix.renames.end());
      accepted_rules.push_back(fix.rule.empty() ? f.rule : fix.rule);
    }
    if (edits.empty() && renames.empty()) break;
    for (auto& [file, list] : edits) {
      const SourceFile& sf = ws.files[file];
      std::string text = sf.text;
      std::sort(list.begin(), list.end(),
                [](const Edit& a, const Edit& b) { return a.span.begin > b.span.begin; });
      for (const Edit& e : list) {
        text.replace(e.span.begin, e.span.end - e.span.begin, e.replacement);
      }
      if (!original.count(sf.path)) original[sf.path] = sf.text;
      display[sf.path] = sf.display_path;
      fs.Set(sf.path, std::move(text));
    }
    for (const FileRename& r : renames) {
      const SourceFile& sf = ws.files[r.file];
      const size_t slash = sf.path.rfind('/');
      const std::string to =
          (slash == std::string::npos ? std::string() : sf.path.substr(0, slash + 1)) + r.new_name;
      if (to == sf.path || fs.IsFile(to)) continue;  // never over another file
      const size_t dslash = sf.display_path.rfind('/');
      display[to] =
          (dslash == std::string::npos ? std::string() : sf.display_path.substr(0, dslash + 1)) +
          r.new_name;
      // Where the file came from, through earlier renames.
      std::string from = sf.path;
      if (auto it = renamed_from.find(sf.path); it != renamed_from.end()) from = it->second;
      if (!original.count(from)) original[from] = sf.text;
      if (!display.count(from)) display[from] = sf.display_path;
      Result<std::string> now = fs.Read(sf.path);
      fs.Set(to, now.ok() ? *now : sf.text);
      fs.Remove(sf.path);
      renamed_from.erase(sf.path);
      renamed_from[to] = from;
    }
    for (const std::string& r : accepted_rules) ++fixed_by_rule[r];
  }

  // What changed, against the files as they were: edited in place, or renamed (and edited).
  std::vector<std::string> changed;
  for (const auto& [path, text] : fs.patched()) {
    auto from = renamed_from.find(path);
    if (from != renamed_from.end() || !original.count(path) || original[path] != text)
      changed.push_back(path);
  }
  size_t fixed = 0;
  std::string rules;
  for (const auto& [rule, n] : fixed_by_rule) {
    fixed += n;
    rules += fmt::format("{}{} {}", rules.empty() ? "" : ", ", rule, n);
  }
  if (args.diff) {
    for (const std::string& path : changed) {
      auto from = renamed_from.find(path);
      const std::string old_path = from == renamed_from.end() ? path : from->second;
      std::string d;
      if (from != renamed_from.end())
        d = fmt::format("rename from {}\nrename to {}\n", display[old_path], display[path]);
      if (!original.count(old_path)) {  // a new file
        d += UnifiedDiff(display[path], "", fs.patched().at(path));
        d.replace(0, d.find('\n'), "--- /dev/null");
      } else if (original[old_path] != fs.patched().at(path) || from == renamed_from.end()) {
        d += UnifiedDiff(display[old_path], original[old_path], fs.patched().at(path));
        if (from != renamed_from.end()) {
          // `--- old` / `+++ new`: patch then creates the new name (git apply renames).
          const size_t plus = d.find("+++ ");
          if (plus != std::string::npos) {
            d.replace(plus, d.find('\n', plus) - plus, "+++ " + display[path]);
          }
        }
      }
      std::fwrite(d.data(), 1, d.size(), stdout);
    }
  } else {
    // New and changed files first (each atomically), then the old names of renamed files.
    for (const std::string& path : changed) {
      Status st = WriteAtomically(path, fs.patched().at(path));
      if (!st.ok()) return Fail(st.message());
    }
    for (const std::string& path : fs.removed()) {
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return Fail(fmt::format("{}: renamed, but the old file cannot be removed: {}", path,
                                std::strerror(errno)));
      }
    }
  }
  FILE* out = args.diff ? stderr : stdout;
  if (fixed == 0) {
    std::fprintf(out, "No fixes to apply.\n");
  } else {
    std::fprintf(out, "%s %zu finding%s in %zu file%s (%s).\n", args.diff ? "Would fix" : "Fixed",
                 fixed, fixed == 1 ? "" : "s", changed.size(), changed.size() == 1 ? "" : "s",
                 rules.c_str());
  }
  if (pass == kMaxPasses) {
    std::fprintf(out, "Stopped after %d passes; run `alembic-lint fix` again.\n", kMaxPasses);
  }
  for (const Refusal& r : refused) {
    std::fprintf(out, "Not fixed: %s [%s]: %s.\n", r.where.c_str(), r.rule.c_str(),
                 r.reason.c_str());
  }
  if (left > 0 && !args.unsafe) {
    std::fprintf(out,
                 "%zu more fix%s change%s what the migration does (a new down_revision, a "
                 "lock_timeout): review them with `alembic-lint fix --unsafe --diff`.\n",
                 left, left == 1 ? "" : "es", left == 1 ? "s" : "");
  }
  if (args.diff) return changed.empty() ? 0 : 1;
  return refused.empty() ? 0 : 1;
}

}  // namespace alint
