#pragma once
/// A minimal parallel-for: `fn(i)` for every i in [0, n), spread over `jobs` threads (the
/// calling thread included). Work is handed out in index order with an atomic counter, so
/// uneven items balance themselves. `fn` must be safe to call concurrently.

#include <cstddef>
#include <functional>

namespace alint {

/// jobs == 0: one per hardware thread.
void ParallelFor(size_t n, unsigned jobs, const std::function<void(size_t)>& fn);

}  // namespace alint
