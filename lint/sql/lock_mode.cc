#include <array>
#include <cctype>
#include <string>

#include "lint/sql/sql_facts.h"

namespace alint {
namespace {

struct LockInfo {
  std::string_view sql;
  std::string_view pg;
  uint16_t conflicts;  // bit i set: conflicts with LockMode(i)
  std::string_view blocks;
};

constexpr uint16_t Bit(LockMode m) { return static_cast<uint16_t>(1u << static_cast<int>(m)); }
constexpr uint16_t kFromRowShare = Bit(LockMode::kRowShare) | Bit(LockMode::kRowExclusive) |
                                   Bit(LockMode::kShareUpdateExclusive) | Bit(LockMode::kShare) |
                                   Bit(LockMode::kShareRowExclusive) | Bit(LockMode::kExclusive) |
                                   Bit(LockMode::kAccessExclusive);

// PostgreSQL's "Conflicting Lock Modes" table.
constexpr std::array<LockInfo, 9> kLocks = {{
    {"", "", 0, "nothing"},
    {"ACCESS SHARE", "AccessShareLock", Bit(LockMode::kAccessExclusive),
     "only ACCESS EXCLUSIVE operations (DROP TABLE, most ALTER TABLE forms)"},
    {"ROW SHARE", "RowShareLock", Bit(LockMode::kExclusive) | Bit(LockMode::kAccessExclusive),
     "EXCLUSIVE and ACCESS EXCLUSIVE operations"},
    {"ROW EXCLUSIVE", "RowExclusiveLock",
     Bit(LockMode::kShare) | Bit(LockMode::kShareRowExclusive) | Bit(LockMode::kExclusive) |
         Bit(LockMode::kAccessExclusive),
     "CREATE INDEX (without CONCURRENTLY) and DDL"},
    {"SHARE UPDATE EXCLUSIVE", "ShareUpdateExclusiveLock",
     Bit(LockMode::kShareUpdateExclusive) | Bit(LockMode::kShare) |
         Bit(LockMode::kShareRowExclusive) | Bit(LockMode::kExclusive) |
         Bit(LockMode::kAccessExclusive),
     "DDL, VACUUM and CREATE INDEX (reads and writes continue)"},
    {"SHARE", "ShareLock",
     Bit(LockMode::kRowExclusive) | Bit(LockMode::kShareUpdateExclusive) |
         Bit(LockMode::kShareRowExclusive) | Bit(LockMode::kExclusive) |
         Bit(LockMode::kAccessExclusive),
     "writes (INSERT, UPDATE, DELETE) and DDL; reads continue"},
    {"SHARE ROW EXCLUSIVE", "ShareRowExclusiveLock",
     Bit(LockMode::kRowExclusive) | Bit(LockMode::kShareUpdateExclusive) | Bit(LockMode::kShare) |
         Bit(LockMode::kShareRowExclusive) | Bit(LockMode::kExclusive) |
         Bit(LockMode::kAccessExclusive),
     "writes (INSERT, UPDATE, DELETE) and DDL; reads continue"},
    {"EXCLUSIVE", "ExclusiveLock", kFromRowShare,
     "writes and SELECT ... FOR UPDATE/SHARE; plain reads continue"},
    {"ACCESS EXCLUSIVE", "AccessExclusiveLock", kFromRowShare | Bit(LockMode::kAccessShare),
     "reads and writes"},
}};

const LockInfo& Info(LockMode m) { return kLocks[static_cast<size_t>(m)]; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view LockModeName(LockMode mode) { return Info(mode).sql; }
std::string_view LockModePgName(LockMode mode) { return Info(mode).pg; }

std::optional<LockMode> ParseLockMode(std::string_view name) {
  for (size_t i = 1; i < kLocks.size(); ++i) {
    if (name == kLocks[i].pg || EqualsIgnoreCase(name, kLocks[i].sql)) {
      return static_cast<LockMode>(i);
    }
  }
  return std::nullopt;
}

std::string BlockedOperations(LockMode mode) { return std::string(Info(mode).blocks); }

bool LocksConflict(LockMode a, LockMode b) {
  if (a == LockMode::kNone || b == LockMode::kNone) return false;
  return (Info(a).conflicts & Bit(b)) != 0;
}

const RelationEffect* StatementFacts::Effect(std::string_view relation) const {
  for (const RelationEffect& e : effects) {
    if (e.relation == relation) return &e;
  }
  return nullptr;
}

LockMode StatementFacts::StrongestLock() const {
  LockMode strongest = LockMode::kNone;
  for (const RelationEffect& e : effects) {
    if (e.lock > strongest) strongest = e.lock;
    if (e.table_lock > strongest) strongest = e.table_lock;
  }
  return strongest;
}

}  // namespace alint
