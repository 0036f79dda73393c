#include "lint/graph/revision_graph.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace alint {

// Alembic raises the first failure it meets; these are the steps of
// RevisionMap._revision_map in the order it runs them.
namespace {
enum Phase : int {
  kPhaseFile = 0,       // Script._from_filename / Revision.__init__, per file in load order
  kPhaseLabels = 1,     // _map_branch_labels
  kPhaseDepends = 2,    // _add_depends_on
  kPhaseDown = 3,       // the down_revision loop
  kPhaseNormalize = 4,  // _normalize_depends_on
  kPhaseCycles = 5,     // _detect_cycles
};

std::string FileName(FileId file, const std::vector<SourceFile>* files) {
  if (files == nullptr || file >= files->size()) return "";
  const std::string& p = (*files)[file].path;
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

bool IsLowerHex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Python's re.sub(r"\W", "_", filename), close enough for ASCII names.
std::string ModuleId(std::string_view filename) {
  std::string out(filename);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || u >= 0x80)) c = '_';
  }
  return out;
}

// The strings of a value as util.to_tuple() sees them (a string is a one-element tuple).
std::vector<RevRef> AsTuple(const RevisionValue& v) {
  std::vector<RevRef> out;
  if (v.kind != ValueKind::kString && v.kind != ValueKind::kSequence) return out;
  for (const StringItem& it : v.items) out.push_back({it.value, it.span});
  return out;
}

bool Contains(const std::vector<RevRef>& refs, std::string_view value) {
  return std::any_of(refs.begin(), refs.end(), [&](const RevRef& r) { return r.value == value; });
}

void PushUnique(std::vector<uint32_t>* v, uint32_t x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ", ";
    out += id;
  }
  return out;
}

}  // namespace

std::string AlembicError::Describe() const {
  return exception.empty() ? message : exception + ": " + message;
}

RevisionGraph::RevisionGraph(const std::vector<const Migration*>& migrations,
                             const std::vector<SourceFile>* files,
                             std::span<const FileId> file_ids) {
  nodes_.reserve(migrations.size());
  for (size_t i = 0; i < migrations.size(); ++i) {
    const Migration* m = migrations[i];
    AddMigration(m, file_ids.empty() ? m->file : file_ids[i], files);
  }

  // The map keeps the last file loaded per id, at the position the id was first inserted.
  by_id_.reserve(nodes_.size() * 2);
  for (GraphNode& n : nodes_) {
    auto [it, inserted] = by_id_.emplace(n.id, n.index);
    if (inserted) {
      id_order_.push_back(n.index);
    } else {
      nodes_[it->second].shadowed = true;
      it->second = n.index;
      warnings_.push_back(fmt::format("Revision {} is present more than once", n.id));
    }
  }
  for (uint32_t& first : id_order_) first = by_id_[nodes_[first].id];

  MapLabels();
  ResolveEdges();
  CheckNormalizeWalk();
  // Alembic's cycle check reasons about what is *not* reachable; with an unknown edge that
  // would call a healthy revision part of a cycle.
  if (!incomplete_) DetectCycles();
  FindCycles();
  ComputeLineageLabels();
  if (incomplete_ && error_phase_ > kPhaseFile) {
    std::string why;
    for (const SkippedMigration& s : skipped_) {
      why += fmt::format("{}{}", why.empty() ? "" : "; ", s.reason);
    }
    alembic_error_ =
        AlembicError{"not-static", "", "the verdict needs running the migration files: " + why};
    error_phase_ = kPhaseFile;
  }
}

void RevisionGraph::SetError(AlembicError e, int phase) {
  if (phase < error_phase_) {
    error_phase_ = phase;
    alembic_error_ = std::move(e);
  }
}

void RevisionGraph::AddMigration(const Migration* m, FileId file,
                                 const std::vector<SourceFile>* files) {
  std::string filename = FileName(file, files);
  auto file_error = [&](std::string kind, std::string exception, std::string message) {
    AlembicError e{std::move(kind), std::move(exception), std::move(message)};
    e.migration = m;
    e.node = kNoNode;
    SetError(std::move(e), kPhaseFile);
  };
  auto skip = [&](std::string reason) {
    skipped_.push_back({m, std::move(reason)});
    incomplete_ = true;
  };

  // A file Python cannot compile (syntax error, NUL byte, bad UTF-8) fails the import, so
  // Alembic stops right there; a file we did not read at all tells us nothing.
  const SyntaxProblem* fatal = nullptr;
  for (const SyntaxProblem& p : m->syntax_problems) {
    if (p.not_read && p.unreadable) {
      // Alembic cannot import what cannot be read either (a FIFO even blocks it for good).
      file_error("unreadable", "OSError", p.message);
      skipped_.push_back({m, "the file cannot be read"});
      return;
    }
    if (p.not_read) return skip("the file was not read: " + p.message);
    if (!p.python_accepts && !fatal) fatal = &p;
  }
  if (fatal) {
    file_error("import-error", "SyntaxError",
               fmt::format("{}: {}", filename.empty() ? "migration" : filename, fatal->message));
    skipped_.push_back({m, "the file does not compile"});
    return;
  }

  GraphNode n;
  n.migration = m;
  n.file = file;
  const RevisionValue& rev = m->revision;
  switch (rev.kind) {
    case ValueKind::kNotLiteral:
      return skip("`revision` is not a literal string");
    case ValueKind::kAbsent: {
      // Alembic's legacy fallback: a file named `<hex>.py` declares that id.
      std::string stem = filename.size() > 3 && filename.ends_with(".py")
                             ? filename.substr(0, filename.size() - 3)
                             : std::string();
      if (filename.empty()) return skip("no `revision` and the file name is unknown");
      if (!IsLowerHex(stem)) {
        file_error("no-revision", "CommandError",
                   fmt::format("Could not determine revision id from filename {}. Be sure the "
                               "'revision' variable is declared inside the script (please see "
                               "'Upgrading from Alembic 0.1 to 0.2' in the documentation).",
                               filename));
        skipped_.push_back({m, "no `revision`"});
        return;
      }
      n.id = stem;
      n.id_span = Span{file, 0, 0};
      break;
    }
    case ValueKind::kString:
      n.id = rev.items.front().value;
      n.id_span = rev.items.front().span;
      break;
    case ValueKind::kNone:
    case ValueKind::kSequence:
      break;
  }

  const RevisionValue& down = m->down_revision;
  if (down.kind == ValueKind::kAbsent) {
    file_error("missing-down-revision", "AttributeError",
               fmt::format("module '{}' has no attribute 'down_revision'", ModuleId(filename)));
    skipped_.push_back({m, "no `down_revision`"});
    return;
  }
  if (rev.kind == ValueKind::kNone || rev.kind == ValueKind::kSequence) {
    file_error("invalid-value", "TypeError",
               rev.kind == ValueKind::kNone ? "'NoneType' object is not iterable"
                                            : "revision must be a string, not a tuple");
    skipped_.push_back({m, "`revision` is not a string"});
    return;
  }
  if (!n.id_span.valid() || n.id_span.end == 0) {
    if (rev.target.valid()) n.id_span = rev.target;
    if (!n.id_span.valid()) n.id_span = Span{file, 0, 0};
  }

  // down_revision through tuple_rev_as_scalar(): None, "", () and [] are all "base"; a
  // one-element sequence becomes its element (so ("",) is *not* a base).
  std::vector<RevRef> raw_down = AsTuple(down);
  if (down.kind == ValueKind::kNotLiteral) {
    incomplete_ = true;
    skipped_.push_back({m, "`down_revision` is not a literal"});
  } else if (down.kind == ValueKind::kNone || raw_down.empty() ||
             (down.kind == ValueKind::kString && raw_down.front().value.empty())) {
    n.is_base = true;
  } else {
    n.down = raw_down;
  }

  std::vector<RevRef> deps = AsTuple(m->depends_on);
  if (m->depends_on.kind == ValueKind::kNotLiteral) {
    incomplete_ = true;
    skipped_.push_back({m, "`depends_on` is not a literal"});
  }
  n.has_dependencies = !deps.empty();
  bool deps_truthy = deps.size() > 1 || (deps.size() == 1 && !deps.front().value.empty());
  if (deps_truthy) n.depends_on = deps;

  if (m->branch_labels.kind == ValueKind::kNotLiteral) {
    incomplete_ = true;
    skipped_.push_back({m, "`branch_labels` is not a literal"});
  }
  n.labels = AsTuple(m->branch_labels);

  // Revision.__init__ checks, in its order.
  bool raw_down_truthy =
      !raw_down.empty() && !(down.kind == ValueKind::kString && raw_down.front().value.empty());
  if (raw_down_truthy && Contains(raw_down, n.id)) {
    file_error("cycle", "LoopDetected",
               fmt::format("Self-loop is detected in revisions ({})", n.id));
  } else if (n.has_dependencies && Contains(deps, n.id)) {
    file_error("dependency-cycle", "DependencyLoopDetected",
               fmt::format("Dependency self-loop is detected in revisions ({})", n.id));
  } else {
    std::set<char> bad;
    for (char c : n.id) {
      if (c == '@' || c == '-' || c == '+') bad.insert(c);
    }
    if (!bad.empty()) {
      std::string chars;
      for (char c : bad) {
        if (!chars.empty()) chars += ", ";
        chars += c;
      }
      file_error(
          "invalid-id", "RevisionError",
          fmt::format("Character(s) '{}' not allowed in revision identifier '{}'", chars, n.id));
    }
  }
  if (alembic_error_ && alembic_error_->migration == m) {
    alembic_error_->node = static_cast<uint32_t>(nodes_.size());
  }

  n.index = static_cast<uint32_t>(nodes_.size());
  n.is_real_base = n.is_base && !n.has_dependencies;
  stems_.push_back(filename.ends_with(".py") ? filename.substr(0, filename.size() - 3) : filename);
  nodes_.push_back(std::move(n));
}

void RevisionGraph::MapLabels() {
  // Alembic iterates a set here, so which of two clashing revisions it names is arbitrary.
  for (GraphNode& n : nodes_) {
    for (const RevRef& label : n.labels) {
      uint32_t owner = Resolve(label.value);
      if (owner != kNoNode) {
        AlembicError e{"duplicate-label", "RevisionError",
                       fmt::format("Branch name '{}' in revision {} already used by revision {}",
                                   label.value, n.id, nodes_[owner].id)};
        e.node = n.index;
        e.migration = n.migration;
        e.order_dependent = true;
        SetError(std::move(e), kPhaseLabels);
        continue;
      }
      by_label_.emplace(label.value, n.index);
      if (std::find(label_names_.begin(), label_names_.end(), label.value) == label_names_.end()) {
        label_names_.push_back(label.value);
      }
    }
  }
}

uint32_t RevisionGraph::Resolve(std::string_view ref) const {
  std::string key(ref);
  if (auto it = by_id_.find(key); it != by_id_.end()) return it->second;
  if (auto it = by_label_.find(key); it != by_label_.end()) return it->second;
  return kNoNode;
}

uint32_t RevisionGraph::LabelOwner(std::string_view label) const {
  auto it = by_label_.find(std::string(label));
  return it == by_label_.end() ? kNoNode : it->second;
}

void RevisionGraph::ResolveEdges() {
  // _add_depends_on: every revision (duplicates included) resolves its depends_on through the
  // map of ids and branch labels; a miss is a bare KeyError.
  for (GraphNode& n : nodes_) {
    for (size_t i = 0; i < n.depends_on.size(); ++i) {
      uint32_t t = Resolve(n.depends_on[i].value);
      if (t == kNoNode) {
        dangling_.push_back(
            {n.index, DanglingRef::Field::kDependsOn, DanglingRef::Problem::kMissing, i});
        AlembicError e{"dangling-depends-on", "KeyError",
                       fmt::format("'{}'", n.depends_on[i].value)};
        e.node = n.index;
        e.migration = n.migration;
        SetError(std::move(e), kPhaseDepends);
        continue;
      }
      PushUnique(&n.deps, by_id_[nodes_[t].id]);
    }
  }

  std::vector<char> in_heads(nodes_.size(), 1), in_real_heads(nodes_.size(), 1);
  // Alembic loops over the map's values: every id's winner, then every branch label's
  // revision again, which may be a duplicate it otherwise dropped.
  std::vector<uint32_t> order = id_order_;
  std::vector<char> queued(nodes_.size(), 0);
  for (uint32_t w : order) queued[w] = 1;
  for (const std::string& label : label_names_) {
    uint32_t owner = by_label_.at(label);
    if (!queued[owner]) {
      queued[owner] = 1;
      order.push_back(owner);
    }
  }
  for (uint32_t w : order) {
    GraphNode& rev = nodes_[w];
    for (size_t i = 0; i < rev.down.size(); ++i) {
      if (auto it = by_id_.find(rev.down[i].value); it != by_id_.end()) {
        PushUnique(&rev.parents, it->second);
      }
    }
    // _all_down_revisions: versioned down revisions, then resolved dependencies, deduped.
    std::vector<std::string> all_down;
    for (const RevRef& r : rev.down) {
      if (std::find(all_down.begin(), all_down.end(), r.value) == all_down.end()) {
        all_down.push_back(r.value);
      }
    }
    for (uint32_t d : rev.deps) {
      if (std::find(all_down.begin(), all_down.end(), nodes_[d].id) == all_down.end()) {
        all_down.push_back(nodes_[d].id);
      }
    }
    for (const std::string& downrev : all_down) {
      bool versioned = Contains(rev.down, downrev);
      uint32_t t = Resolve(downrev);
      if (t == kNoNode) {
        for (size_t i = 0; i < rev.down.size(); ++i) {
          if (rev.down[i].value == downrev) {
            dangling_.push_back(
                {w, DanglingRef::Field::kDownRevision, DanglingRef::Problem::kMissing, i});
          }
        }
        warnings_.push_back(
            fmt::format("Revision {} referenced from {} is not present", downrev, rev.id));
        AlembicError e{"dangling", "KeyError", fmt::format("'{}'", downrev)};
        e.node = w;
        e.migration = rev.migration;
        SetError(std::move(e), kPhaseDown);
        continue;
      }
      GraphNode& target = nodes_[t];
      if (versioned && target.id != downrev) {
        for (size_t i = 0; i < rev.down.size(); ++i) {
          if (rev.down[i].value == downrev) {
            dangling_.push_back(
                {w, DanglingRef::Field::kDownRevision, DanglingRef::Problem::kLabel, i});
          }
        }
      }
      // nextrev holds ids: a dropped duplicate reached through its label links its winner.
      uint32_t child = by_id_[rev.id];
      if (Contains(rev.down, target.id)) {
        PushUnique(&target.children, child);
      } else {
        PushUnique(&target.dependents, child);
      }
      if (versioned) in_heads[t] = 0;
      in_real_heads[t] = 0;
    }
  }
  for (GraphNode& n : nodes_) {
    // A revision reached both as a child and as a dependent is a child only.
    std::erase_if(n.dependents, [&](uint32_t d) {
      return std::find(n.children.begin(), n.children.end(), d) != n.children.end();
    });
    n.is_head = in_heads[n.index];
    n.is_real_head = in_real_heads[n.index];
    if (n.is_head) heads_.push_back(n.index);
    if (n.is_real_head) real_heads_.push_back(n.index);
    if (n.is_base) bases_.push_back(n.index);
    if (n.is_real_base) real_bases_.push_back(n.index);
  }
}

void RevisionGraph::CheckNormalizeWalk() {
  // _normalize_depends_on walks the down_revision ancestors of every revision that has
  // dependencies, through the map that also holds branch labels; a label reached that way
  // fails its "broken map" check, a missing id (only possible from a duplicate Alembic did
  // not keep) is a KeyError. Propagate "reaches a bad reference" backwards once: linear.
  const size_t n = nodes_.size();
  std::vector<int8_t> bad(n, 0);  // 0 fine, 1 label, 2 missing
  std::vector<std::vector<uint32_t>> reverse(n);
  std::vector<uint32_t> todo;
  for (const GraphNode& node : nodes_) {
    for (const RevRef& r : node.down) {
      uint32_t t = Resolve(r.value);
      if (t == kNoNode) {
        bad[node.index] = 2;
      } else if (nodes_[t].id != r.value) {
        if (!bad[node.index]) bad[node.index] = 1;
      } else {
        reverse[t].push_back(node.index);
      }
    }
    if (bad[node.index]) todo.push_back(node.index);
  }
  while (!todo.empty()) {
    uint32_t t = todo.back();
    todo.pop_back();
    for (uint32_t src : reverse[t]) {
      if (!bad[src]) {
        bad[src] = bad[t];
        todo.push_back(src);
      }
    }
  }
  for (const GraphNode& node : nodes_) {
    if (node.deps.empty() || !bad[node.index]) continue;
    AlembicError e = bad[node.index] == 1
                         ? AlembicError{"label-as-down-revision", "RevisionError",
                                        "Dependency resolution failed; broken map"}
                         : AlembicError{"dangling", "KeyError", "a missing down_revision"};
    e.node = node.index;
    e.migration = node.migration;
    SetError(std::move(e), kPhaseNormalize);
    return;
  }
}

void RevisionGraph::DetectCycles() {
  if (by_id_.empty()) return;
  auto all_ids = [&] {
    std::vector<std::string> out;
    for (uint32_t i : id_order_) out.push_back(nodes_[i].id);
    return out;
  };
  auto fail = [&](const char* kind, const char* exception, const char* what,
                  std::vector<std::string> ids) {
    AlembicError e{kind, exception,
                   fmt::format("{} is detected in revisions ({})", what, JoinIds(ids))};
    SetError(std::move(e), kPhaseCycles);
  };
  // Walks from `starts` through `next`; marks the ids it sees. Returns false (after recording
  // the KeyError) when a reference is not a revision id.
  auto walk = [&](const std::vector<uint32_t>& starts, bool down, bool with_deps,
                  std::vector<char>* seen_ids) {
    std::vector<char> seen(nodes_.size(), 0);
    std::vector<uint32_t> stack;
    for (uint32_t s : starts) {
      stack.push_back(s);
      while (!stack.empty()) {
        uint32_t r = stack.back();
        stack.pop_back();
        if (seen[r]) continue;
        seen[r] = 1;
        (*seen_ids)[by_id_[nodes_[r].id]] = 1;
        const GraphNode& node = nodes_[r];
        if (down) {
          for (const RevRef& ref : node.down) {
            auto it = by_id_.find(ref.value);
            if (it == by_id_.end()) {
              bool label = by_label_.count(ref.value) > 0;
              AlembicError e{label ? "label-as-down-revision" : "dangling", "KeyError",
                             fmt::format("'{}'", ref.value)};
              e.node = r;
              e.migration = node.migration;
              SetError(std::move(e), kPhaseCycles);
              return false;
            }
            stack.push_back(it->second);
          }
          if (with_deps) {
            for (uint32_t d : node.deps) stack.push_back(d);
          }
        } else {
          for (uint32_t c : node.children) stack.push_back(c);
          if (with_deps) {
            for (uint32_t c : node.dependents) stack.push_back(c);
          }
        }
      }
    }
    return true;
  };
  auto deleted = [&](const std::vector<char>& a, const std::vector<char>& b) {
    std::vector<std::string> out;
    for (uint32_t w : id_order_) {
      if (!(a[w] && b[w])) out.push_back(nodes_[w].id);
    }
    std::sort(out.begin(), out.end());
    return out;
  };

  if (heads_.empty() || bases_.empty()) {
    return fail("cycle", "CycleDetected", "Cycle", all_ids());
  }
  std::vector<char> from_heads(nodes_.size(), 0), from_bases(nodes_.size(), 0);
  if (!walk(heads_, true, false, &from_heads)) return;
  walk(bases_, false, false, &from_bases);
  if (auto d = deleted(from_heads, from_bases); !d.empty()) {
    return fail("cycle", "CycleDetected", "Cycle", d);
  }
  if (real_heads_.empty() || real_bases_.empty()) {
    return fail("dependency-cycle", "DependencyCycleDetected", "Dependency cycle", all_ids());
  }
  std::fill(from_heads.begin(), from_heads.end(), 0);
  std::fill(from_bases.begin(), from_bases.end(), 0);
  if (!walk(real_heads_, true, true, &from_heads)) return;
  walk(real_bases_, false, true, &from_bases);
  if (auto d = deleted(from_heads, from_bases); !d.empty()) {
    return fail("dependency-cycle", "DependencyCycleDetected", "Dependency cycle", d);
  }
}

const GraphNode* RevisionGraph::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &nodes_[it->second];
}

std::vector<uint32_t> RevisionGraph::NodesWithId(std::string_view id) const {
  std::vector<uint32_t> out;
  for (const GraphNode& n : nodes_) {
    if (n.id == id) out.push_back(n.index);
  }
  return out;
}

std::vector<std::vector<uint32_t>> RevisionGraph::Duplicates() const {
  std::vector<std::vector<uint32_t>> out;
  std::unordered_map<std::string, size_t> group;
  for (const GraphNode& n : nodes_) {
    if (!n.shadowed) continue;
    auto [it, inserted] = group.emplace(n.id, out.size());
    if (inserted) out.emplace_back();
    out[it->second].push_back(n.index);
  }
  for (auto& g : out) g.push_back(by_id_.at(nodes_[g.front()].id));
  return out;
}

std::vector<std::string> RevisionGraph::Ids(std::span<const uint32_t> list) const {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (uint32_t i : list) out.push_back(nodes_[i].id);
  return out;
}

std::vector<uint32_t> RevisionGraph::BranchPoints() const {
  std::vector<uint32_t> out;
  for (const GraphNode& n : nodes_) {
    if (n.is_branch_point()) out.push_back(n.index);
  }
  return out;
}

std::vector<uint32_t> RevisionGraph::MergePoints() const {
  std::vector<uint32_t> out;
  for (const GraphNode& n : nodes_) {
    if (n.is_merge_point()) out.push_back(n.index);
  }
  return out;
}

}  // namespace alint
