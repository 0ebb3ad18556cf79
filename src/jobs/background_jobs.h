#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "instance/instance.h"

namespace lontar {

struct BackgroundOptions {
  std::chrono::milliseconds period{1000};
  std::chrono::seconds expiry_notice_period{3600};
};

// The durable jobs of one `lontar serve`: issue approved requests (after a crash too),
// expire unused CSR tokens, queue expiry notices and send the notification outbox.
// Several servers on one database may run them at once: each step is a
// compare-and-set, so nothing is done twice.
class BackgroundJobs final {
 public:
  BackgroundJobs(Instance& instance, BackgroundOptions options);
  ~BackgroundJobs();
  void run_once();

 private:
  void loop();

  Instance& instance_;
  BackgroundOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point last_expiry_notices_{};
  std::thread thread_;
};

}  // namespace lontar
