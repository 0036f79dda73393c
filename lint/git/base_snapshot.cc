#include "lint/git/base_snapshot.h"

#include "lint/core/parallel.h"
#include "lint/python/extract.h"

namespace alint {

std::shared_ptr<BaseSnapshot> BuildBaseSnapshot(
    std::string ref, std::string commit, std::vector<std::pair<std::string, std::string>> files) {
  auto snap = std::make_shared<BaseSnapshot>();
  snap->ref = std::move(ref);
  snap->commit = std::move(commit);
  snap->files.reserve(files.size());
  for (auto& [path, text] : files) {
    SourceFile f(static_cast<FileId>(snap->files.size()), std::move(path), std::move(text));
    f.display_path = f.path;
    snap->files.push_back(std::move(f));
  }
  // Header facts only, one file per task (a 10,000-revision base is 10,000 header reads).
  snap->migrations.resize(snap->files.size());
  ParallelFor(snap->files.size(), /*jobs=*/0, [&](size_t i) {
    snap->migrations[i] = ExtractMigration(snap->files[i], ParseMode::kHeader);
    snap->migrations[i].file = snap->files[i].id;
  });
  std::vector<const Migration*> ms;
  for (const Migration& m : snap->migrations) ms.push_back(&m);
  // The graph keeps pointers into `migrations` and `files`: both are final now.
  snap->graph = std::make_unique<RevisionGraph>(ms, &snap->files);
  return snap;
}

}  // namespace alint
