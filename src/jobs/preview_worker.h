#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "documents/previews.h"
#include "instance/instance.h"

namespace lontar {

// Renders page previews of newly registered documents on a thread of its own, so a
// long document never delays issuance or a request being answered.
class PreviewWorker final {
 public:
  PreviewWorker(Instance& instance, PreviewRenderer renderer,
                std::chrono::milliseconds period = std::chrono::milliseconds{300});
  ~PreviewWorker();
  PreviewWorker(const PreviewWorker&) = delete;
  PreviewWorker& operator=(const PreviewWorker&) = delete;

 private:
  void loop();

  Instance& instance_;
  PreviewRenderer renderer_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lontar
