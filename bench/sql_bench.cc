// What the SQL model adds to a full run: loads a project the way `alembic-lint check` does
// (full parse of every file), then runs the SQL model over everything the DDL rules will
// analyse: every SQL string (AnalyzeSql, libpg_query) and every op.* call (AnalyzeOpCall:
// rendered to PostgreSQL DDL, then AnalyzeSql).
//
//   sql_bench [-j N] [--repeat R] PATH
//
// Prints one line per repetition, e.g.
//   load_ms=310.2 sql_strings=9210 sql_statements=10880 sql_ms=95.1 ops=31000 op_statements=..
//   op_ms=... sql_us_per_statement=8.7 op_us_per_call=... share=0.33
// load_ms is discovery + read + full parse + graph on N threads; sql_ms and op_ms are the
// model over all strings / calls on N threads; the per-statement costs are single-thread
// equivalents (CPU time of the model divided by the count); share = (sql_ms + op_ms) /
// (load_ms + sql_ms + op_ms): the fraction of a full run the SQL model would take.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/core/parallel.h"
#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "lint/sql/op_model.h"
#include "lint/sql/sql_facts.h"

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Process CPU time (all threads), for the single-thread cost per statement.
double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  int repeat = 1;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-j" || a == "--repeat") && i + 1 < argc) {
      int v = std::atoi(argv[++i]);
      if (v < 1) {
        std::fprintf(stderr, "sql_bench: %s needs a positive number\n", a.c_str());
        return 2;
      }
      if (a == "-j") jobs = static_cast<unsigned>(v);
      if (a == "--repeat") repeat = v;
    } else {
      path = a;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: sql_bench [-j N] [--repeat R] PATH\n");
    return 2;
  }

  alint::DiskFileSource fs;
  for (int r = 0; r < repeat; ++r) {
    auto t0 = Clock::now();
    alint::Result<alint::Discovery> discovery = alint::Discover(fs, {path});
    if (!discovery.ok()) {
      std::fprintf(stderr, "sql_bench: %s\n", discovery.error().message.c_str());
      return 2;
    }
    alint::LoadOptions load;
    load.jobs = jobs;
    load.target_mode = alint::ParseMode::kFull;
    load.other_mode = alint::ParseMode::kFull;
    alint::Workspace ws = alint::LoadWorkspace(fs, *discovery, load);
    double load_ms = MsSince(t0);

    // Flatten, so the parallel loop balances per string/call rather than per file.
    std::vector<const alint::SqlString*> strings;
    std::vector<const alint::OpCall*> ops;
    for (const alint::LoadedFile& file : ws.loaded) {
      const alint::Migration& m = file.facts;
      for (const alint::SqlString& s : m.sql) strings.push_back(&s);
      for (const alint::OpCall& o : m.ops) ops.push_back(&o);
    }

    std::atomic<size_t> sql_statements{0}, sql_errors{0}, op_statements{0};
    double cpu0 = CpuMs();
    auto t1 = Clock::now();
    alint::ParallelFor(strings.size(), jobs, [&](size_t i) {
      alint::SqlAnalysis a = alint::AnalyzeSql(strings[i]->text);
      sql_statements.fetch_add(a.facts.size());
      if (a.error) sql_errors.fetch_add(1);
    });
    double sql_ms = MsSince(t1);
    double sql_cpu = CpuMs() - cpu0;

    cpu0 = CpuMs();
    auto t2 = Clock::now();
    alint::ParallelFor(ops.size(), jobs, [&](size_t i) {
      op_statements.fetch_add(alint::AnalyzeOpCall(*ops[i]).size());
    });
    double op_ms = MsSince(t2);
    double op_cpu = CpuMs() - cpu0;

    size_t n_sql = sql_statements.load();
    std::printf(
        "files=%zu load_ms=%.1f sql_strings=%zu sql_statements=%zu sql_errors=%zu sql_ms=%.1f "
        "ops=%zu op_statements=%zu op_ms=%.1f sql_us_per_statement=%.2f op_us_per_call=%.2f "
        "share=%.3f\n",
        ws.files.size(), load_ms, strings.size(), n_sql, sql_errors.load(), sql_ms, ops.size(),
        op_statements.load(), op_ms, n_sql ? sql_cpu * 1e3 / static_cast<double>(n_sql) : 0.0,
        ops.empty() ? 0.0 : op_cpu * 1e3 / static_cast<double>(ops.size()),
        (sql_ms + op_ms) / (load_ms + sql_ms + op_ms));
  }
  return 0;
}
