// `alembic-lint baseline`: writes the current heads as `applied` into the project's config.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "lint/cli/commands.h"
#include "lint/config/config.h"
#include "lint/config/config_edit.h"
#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

namespace alint {

namespace {

int Refuse(const std::string& message) {
  std::fprintf(stderr, "alembic-lint: error: %s\n", message.c_str());
  return 2;
}

std::string AbsolutePath(const std::string& p) {
  std::error_code ec;
  auto a = std::filesystem::absolute(p, ec);
  return ec ? p : a.lexically_normal().generic_string();
}

// Why the heads of `g` cannot be trusted as what production runs, or "".
std::string Broken(const RevisionGraph& g, const std::vector<SourceFile>& files) {
  auto file_of = [&](uint32_t n) {
    const GraphNode& node = g.node(n);
    return node.file < files.size() ? files[node.file].display_path : std::string("?");
  };
  for (const auto& dup : g.Duplicates()) {
    std::vector<std::string> where;
    for (uint32_t n : dup) where.push_back(file_of(n));
    return fmt::format(
        "revision {} is declared by {} files ({}), so the heads depend on load "
        "order",
        g.node(dup.front()).id, dup.size(), fmt::join(where, ", "));
  }
  for (const Cycle& c : g.cycles()) {
    std::vector<std::string> ids;
    for (uint32_t n : c.path) ids.push_back(g.node(n).id);
    return fmt::format("the history has a cycle ({})", fmt::join(ids, " -> "));
  }
  if (const auto& error = g.alembic_error()) {
    return fmt::format("Alembic would fail to load it: {}", error->Describe());
  }
  if (g.incomplete()) return "some revision headers are not static, so the heads are not known";
  if (g.heads().empty()) return "it has no migrations";
  return "";
}

}  // namespace

int RunBaseline(const BaselineArgs& args) {
  DiskFileSource fs;
  const RuleSet& known = BuiltinRules();
  // The config to edit: --config, else the one `check` would find, else a new
  // .alembic-lint.toml in PATH (a directory) or next to it (a file).
  std::string config_path = args.config_file;
  std::optional<Config> config;
  if (!config_path.empty()) {
    if (fs.IsFile(config_path)) {
      Result<Config> c = LoadConfigFile(fs, config_path, known);
      if (!c.ok()) return Refuse(c.error().message);
      config = std::move(*c);
    }
  } else {
    Result<std::optional<Config>> c = FindConfig(fs, AbsolutePath(args.path), known);
    if (!c.ok()) return Refuse(c.error().message);
    if (c->has_value()) {
      config = std::move(**c);
      config_path = config->path;
    } else {
      std::string dir = fs.IsDir(args.path) ? args.path : DirName(args.path);
      config_path = JoinPath(dir.empty() ? "." : dir, ".alembic-lint.toml");
    }
  }
  std::vector<DeclaredEnv> declared;
  if (config) {
    declared = DeclaredEnvs(*config, DirName(AbsolutePath(config_path)));
    for (const DeclaredEnv& d : declared) {
      if (!d.applied.empty()) {
        return Refuse(fmt::format(
            "{}: environment {} declares its own `applied`, which would win over the one "
            "`baseline` writes; update it by hand (`alembic-lint heads` prints the heads)",
            d.applied_origin, d.name));
      }
    }
  }
  Result<Discovery> discovery =
      declared.empty() ? Discover(fs, {args.path}) : DiscoverDeclared(fs, {args.path}, declared);
  if (!discovery.ok()) return Refuse(discovery.error().message);
  LoadOptions load;
  load.target_mode = ParseMode::kHeader;  // the heads need headers only
  load.other_mode = ParseMode::kHeader;
  std::error_code ec;
  load.display_base = std::filesystem::current_path(ec).string();
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  if (!ws.broken.empty()) {
    return Refuse(fmt::format("environment {} could not be loaded: {}", ws.broken[0].name,
                              ws.broken[0].message));
  }
  if (ws.envs.empty()) return Refuse(fmt::format("{}: no Alembic environment found", args.path));
  std::vector<std::string> heads;
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    const RevisionGraph& g = *ws.graphs[e];
    std::string why = Broken(g, ws.files);
    if (!why.empty()) {
      return Refuse(fmt::format(
          "{}: not writing a baseline: {}; fix the history first (`alembic-lint check`)",
          ws.envs[e].name, why));
    }
    std::vector<std::string> ids = g.Ids(g.heads());
    std::sort(ids.begin(), ids.end());
    for (const std::string& id : ids) {
      if (std::find(heads.begin(), heads.end(), id) == heads.end()) heads.push_back(id);
    }
  }

  std::string text;
  const bool exists = fs.IsFile(config_path);
  if (exists) {
    Result<std::string> read = fs.Read(config_path);
    if (!read.ok()) return Refuse(read.error().message);
    text = std::move(read).value();
  }
  const bool pyproject = BaseName(config_path) == "pyproject.toml";
  Result<std::string> edited = SetAppliedInConfigText(text, pyproject, heads);
  if (!edited.ok()) return Refuse(fmt::format("{}: {}", config_path, edited.error().message));
  const std::string list = fmt::format("[\"{}\"]", fmt::join(heads, "\", \""));
  if (exists && *edited == text) {
    std::printf("%s: `applied` already names the current heads: %s\n", config_path.c_str(),
                list.c_str());
    return 0;
  }
  {
    std::ofstream out(config_path, std::ios::binary | std::ios::trunc);
    out.write(edited->data(), static_cast<std::streamsize>(edited->size()));
    if (!out) return Refuse(fmt::format("{}: cannot write the config", config_path));
  }
  std::printf("%s: %s applied = %s (%zu head%s)\n", config_path.c_str(),
              exists ? "wrote" : "created, with", list.c_str(), heads.size(),
              heads.size() == 1 ? "" : "s");
  std::printf(
      "The lock, SQL and data rules now skip these revisions and their ancestors; the "
      "revision-chain and structure rules still check every migration.\n");
  return 0;
}

}  // namespace alint
