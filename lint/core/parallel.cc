#include "lint/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace alint {

void ParallelFor(size_t n, unsigned jobs, const std::function<void(size_t)>& fn) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  // Thread start-up costs more than a handful of small files; stay on this thread then.
  size_t threads = std::min<size_t>(jobs, (n + 7) / 8);
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

}  // namespace alint
