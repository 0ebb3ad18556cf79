#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lontar::http {

// A fixed number of threads for heavy requests (parsing and checking untrusted
// PDFs), apart from the threads that accept connections and answer light requests:
// /healthz, OCSP and the pages keep answering while every worker is busy. Bounded:
// beyond `workers` running and `queue` waiting, new work is refused at once.
class WorkPool final {
 public:
  WorkPool(unsigned workers, std::size_t queue);
  ~WorkPool();  // finishes the work in hand, drops what still waits
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // False (and `work` is not run) when the pool is full.
  bool try_submit(std::function<void()> work);

  struct Load {
    std::size_t running = 0;
    std::size_t waiting = 0;
    std::size_t capacity = 0;  // running + waiting beyond which work is refused
  };
  Load load();

 private:
  void serve();

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> waiting_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lontar::http
