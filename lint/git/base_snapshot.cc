#include "lint/git/base_snapshot.h"

#include "lint/core/parallel.h"
#include "lint/python/extract.h"

namespace alint {

std::shared_ptr<BaseSnapshot> BuildBaseSnapshot(std::string ref, std::string commit,
                                                std::vector<BaseFile> files) {
  auto snap = std::make_shared<BaseSnapshot>();
  snap->ref = std::move(ref);
  snap->commit = std::move(commit);
  snap->files.reserve(files.size());
  for (BaseFile& b : files) {
    SourceFile f(static_cast<FileId>(snap->files.size()), std::move(b.path), std::move(b.text));
    f.display_path = f.path;
    snap->files.push_back(std::move(f));
  }
  // Header facts only, one file per task (a 10,000-revision base is 10,000 header reads); a
  // file the branch did not change has the facts the work tree already read, used in place.
  std::vector<size_t> to_read;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].known == nullptr) to_read.push_back(i);
  }
  snap->read.resize(to_read.size());
  ParallelFor(to_read.size(), /*jobs=*/0, [&](size_t k) {
    snap->read[k] = ExtractMigration(snap->files[to_read[k]], ParseMode::kHeader);
  });
  snap->migrations.resize(files.size());
  std::vector<FileId> ids(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    snap->migrations[i] = files[i].known;
    ids[i] = snap->files[i].id;
  }
  for (size_t k = 0; k < to_read.size(); ++k) snap->migrations[to_read[k]] = &snap->read[k];
  // The graph keeps pointers into `read` and `files`: both are final now.
  snap->graph = std::make_unique<RevisionGraph>(snap->migrations, &snap->files, ids);
  return snap;
}

std::shared_ptr<BaseSnapshot> BuildBaseSnapshot(
    std::string ref, std::string commit, std::vector<std::pair<std::string, std::string>> files) {
  std::vector<BaseFile> base;
  base.reserve(files.size());
  for (auto& [path, text] : files) base.push_back({std::move(path), std::move(text), nullptr});
  return BuildBaseSnapshot(std::move(ref), std::move(commit), std::move(base));
}

}  // namespace alint
