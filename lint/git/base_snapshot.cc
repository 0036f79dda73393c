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
  // file the branch did not change has the facts the work tree already read.
  snap->migrations.resize(snap->files.size());
  ParallelFor(snap->files.size(), /*jobs=*/0, [&](size_t i) {
    if (files[i].known != nullptr) {
      snap->migrations[i] = *files[i].known;
    } else {
      snap->migrations[i] = ExtractMigration(snap->files[i], ParseMode::kHeader);
    }
    snap->migrations[i].file = snap->files[i].id;
  });
  std::vector<const Migration*> ms;
  for (const Migration& m : snap->migrations) ms.push_back(&m);
  // The graph keeps pointers into `migrations` and `files`: both are final now.
  snap->graph = std::make_unique<RevisionGraph>(ms, &snap->files);
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
