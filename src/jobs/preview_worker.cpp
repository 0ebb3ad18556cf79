#include "jobs/preview_worker.h"

#include <spdlog/spdlog.h>


namespace lontar {

namespace {
constexpr int kBatch = 4;
}

PreviewWorker::PreviewWorker(Instance& instance, PreviewRenderer renderer, std::chrono::milliseconds period)
    : instance_(instance), renderer_(std::move(renderer)), period_(period), thread_([this] { loop(); }) {}

PreviewWorker::~PreviewWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PreviewWorker::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    int done = 0;
    try {
      done = render_awaiting_previews(instance_, kBatch, renderer_);
    } catch (const std::exception& e) {
      spdlog::warn(R"({{"job":"previews","error":"{}"}})", e.what());
    }
    lock.lock();
    // A full batch means more may be waiting: go on at once.
    if (done < kBatch) wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace lontar
