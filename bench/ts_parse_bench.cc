// The floor a full `alembic-lint check` is measured against: read every migration file and
// parse it with tree-sitter-python, on the same number of threads as the linter, and nothing
// else (no facts, no graph, no rules, no output beyond one summary line).
//
//   ts_parse_bench [-j N] [--repeat R] PATH...
//
// A PATH is a file or a directory searched recursively for `*.py` (skipping __pycache__).
// Prints "files=F bytes=B statements=S errors=E ms=T" to stderr: T covers reading and parsing,
// without process start-up and the listing. `statements` (top-level nodes, summed) keeps the
// parse from being optimised away; `errors` counts files whose tree has a syntax error.

#include <tree_sitter/api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

extern "C" const TSLanguage* tree_sitter_python();

namespace {

namespace fs = std::filesystem;

void Collect(const fs::path& p, std::vector<std::string>* out) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    for (auto it = fs::recursive_directory_iterator(p, ec); it != fs::end(it); it.increment(ec)) {
      if (it->is_directory() && it->path().filename() == "__pycache__") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && it->path().extension() == ".py") {
        out->push_back(it->path().string());
      }
    }
  } else {
    out->push_back(p.string());
  }
}

// One open + fstat + read: what a lean loader needs per file.
bool ReadFile(const std::string& path, std::string* text) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return false;
  }
  text->resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < text->size()) {
    ssize_t n = read(fd, text->data() + got, text->size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  text->resize(got);
  return true;
}

struct Totals {
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> statements{0};
  std::atomic<uint64_t> errors{0};
};

void ParseAll(const std::vector<std::string>& files, unsigned jobs, Totals* totals) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    std::unique_ptr<TSParser, decltype(&ts_parser_delete)> parser(ts_parser_new(),
                                                                  &ts_parser_delete);
    ts_parser_set_language(parser.get(), tree_sitter_python());
    std::string text;
    for (size_t i = next.fetch_add(1); i < files.size(); i = next.fetch_add(1)) {
      if (!ReadFile(files[i], &text)) {
        totals->errors.fetch_add(1);
        continue;
      }
      TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, text.data(),
                                            static_cast<uint32_t>(text.size()));
      TSNode root = ts_tree_root_node(tree);
      totals->statements.fetch_add(ts_node_child_count(root));
      if (ts_node_has_error(root)) totals->errors.fetch_add(1);
      totals->bytes.fetch_add(text.size());
      ts_tree_delete(tree);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < jobs; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  int repeat = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-j" || a == "--repeat") && i + 1 < argc) {
      int v = std::atoi(argv[++i]);
      if (v < 1) {
        std::fprintf(stderr, "ts_parse_bench: %s needs a positive number\n", a.c_str());
        return 2;
      }
      if (a == "-j") jobs = static_cast<unsigned>(v);
      if (a == "--repeat") repeat = v;
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: ts_parse_bench [-j N] [--repeat R] PATH...\n");
      return 0;
    } else {
      Collect(a, &files);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "ts_parse_bench: no .py files given\n");
    return 2;
  }
  for (int r = 0; r < repeat; ++r) {
    Totals totals;
    auto t0 = std::chrono::steady_clock::now();
    ParseAll(files, jobs, &totals);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "files=%zu bytes=%llu statements=%llu errors=%llu ms=%.1f\n", files.size(),
                 static_cast<unsigned long long>(totals.bytes.load()),
                 static_cast<unsigned long long>(totals.statements.load()),
                 static_cast<unsigned long long>(totals.errors.load()), ms);
  }
  return 0;
}
