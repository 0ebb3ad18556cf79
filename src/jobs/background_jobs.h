#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/job_lease.h"
#include "instance/instance.h"

namespace lontar {

struct BackgroundOptions {
  std::chrono::milliseconds period{1000};
  std::chrono::seconds expiry_notice_period{3600};
  // How long a holder's lease lasts unrenewed: how soon another server takes over
  // from one that died.
  std::chrono::seconds lease{10};
};

// The durable jobs of one `lontar serve`: issue approved requests (after a crash too),
// expire unused CSR tokens, renew the OCSP responder, queue expiry notices and send the
// notification outbox.
// Several servers on one database take turns through a lease in the database (one
// runs the jobs, the others wait to take over), and each step is a compare-and-set,
// so nothing is done twice even while a dead holder's lease runs out.
class BackgroundJobs final {
 public:
  BackgroundJobs(Instance& instance, BackgroundOptions options);
  ~BackgroundJobs();
  // One round, if this server holds the jobs' lease; false when another does.
  bool run_once();

 private:
  void loop();

  Instance& instance_;
  BackgroundOptions options_;
  JobLease lease_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point last_expiry_notices_{};
  std::thread thread_;
};

}  // namespace lontar
