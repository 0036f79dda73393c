// How often the fast header scanner (lint/python/header_scan.cc) reads a file itself rather
// than leaving it to the tree-sitter parser: the share of a repository `heads`, pre-commit and
// PR mode read at the fast path's speed. Every syntax gate the scanner adds may lower it; run
// this on real histories before and after.
//
//   scan_rate [-v] PATH...   every .py file under each PATH (recursively); -v lists the files
//                            the scanner left to the parser

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lint/python/file_checks.h"
#include "lint/python/header_scan.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  bool verbose = false;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-v") == 0) {
      verbose = true;
      continue;
    }
    std::error_code ec;
    if (fs::is_regular_file(argv[i], ec)) {
      files.emplace_back(argv[i]);
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(argv[i], ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".py") files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  size_t scanned = 0, parsed = 0, refused = 0;
  uint32_t id = 0;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    alint::SourceFile file(id++, p.string(), std::move(text));
    alint::FileCheck check = alint::CheckFileBytes(file);
    if (!check.parse) {
      ++refused;
      continue;
    }
    if (alint::ScanHeader(file, check.start)) {
      ++scanned;
    } else {
      ++parsed;
      if (verbose) std::printf("parser: %s\n", p.c_str());
    }
  }
  const size_t total = scanned + parsed;
  std::printf(
      "%zu files: %zu read by the scanner (%.1f%%), %zu left to the parser, %zu refused "
      "before either\n",
      total + refused, scanned, total ? 100.0 * static_cast<double>(scanned) / total : 0.0, parsed,
      refused);
  return 0;
}
