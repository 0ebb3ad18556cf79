#include "http/work_pool.h"

#include <spdlog/spdlog.h>

namespace lontar::http {

WorkPool::WorkPool(unsigned workers, std::size_t queue) : capacity_(workers + queue) {
  for (unsigned i = 0; i < std::max(1u, workers); ++i) threads_.emplace_back([this] { serve(); });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    waiting_.clear();
  }
  ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

bool WorkPool::try_submit(std::function<void()> work) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || running_ + waiting_.size() >= capacity_) return false;
    waiting_.push_back(std::move(work));
  }
  ready_.notify_one();
  return true;
}

WorkPool::Load WorkPool::load() {
  std::lock_guard lock(mutex_);
  return {running_, waiting_.size(), capacity_};
}

void WorkPool::serve() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      work = std::move(waiting_.front());
      waiting_.pop_front();
      ++running_;
    }
    try {
      work();
    } catch (const std::exception& e) {
      spdlog::error("work in the pool failed: {}", e.what());
    }
    std::lock_guard lock(mutex_);
    --running_;
  }
}

}  // namespace lontar::http
