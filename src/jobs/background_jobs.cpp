#include "jobs/background_jobs.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "jobs/smtp.h"
#include "core/error.h"
#include "core/random.h"

namespace lontar {

namespace {
constexpr int kMaxSendAttempts = 5;

// Who holds the lease, as the audit trail names it: host, process and a random part
// (a restarted process on the same host is another holder).
std::string holder_name(RandomSource& random) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_hex(random, 4);
}
}

BackgroundJobs::BackgroundJobs(Instance& instance, BackgroundOptions options)
    : instance_(instance),
      options_(options),
      lease_(instance.store(), instance.clock(), "background-jobs", holder_name(instance.random()), options.lease),
      thread_([this] { loop(); }) {}

BackgroundJobs::~BackgroundJobs() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  try {
    lease_.release();
  } catch (const std::exception& e) {
    spdlog::warn(R"({{"job":"release_lease","error":"{}"}})", e.what());
  }
}

bool BackgroundJobs::run_once() {
  if (!lease_.hold()) return false;
  auto& requests = instance_.requests();
  if (const int issued = requests.issue_approved(); issued > 0)
    spdlog::info(R"({{"job":"issue_approved","issued":{}}})", issued);
  if (requests.forwards()) {
    if (const int told = requests.forward_revocations(); told > 0)
      spdlog::info(R"({{"job":"forward_revocations","told":{}}})", told);
  }
  requests.expire_tokens();
  if (instance_.renew_ocsp_if_needed(instance_.clock().now()))
    spdlog::info(R"({{"job":"renew_ocsp_responder","serial":"{}"}})",
                 instance_.ocsp_signer()->certificate().serial_hex());
  const auto now = std::chrono::steady_clock::now();
  if (now - last_expiry_notices_ >= options_.expiry_notice_period) {
    requests.notify_expiring();
    last_expiry_notices_ = now;
  }
  const auto& smtp = instance_.config().notifications;
  if (smtp.smtp_host.empty()) return true;
  std::vector<Notification> pending;
  instance_.store().read([&](StoreTransaction& tx) { pending = tx.notifications().pending(kMaxSendAttempts, 50); });
  for (const auto& n : pending) {
    try {
      send_mail(smtp, n.recipient, n.subject, n.body);
      instance_.store().write([&](StoreTransaction& tx) {
        tx.notifications().mark_sent(n.id, to_unix(instance_.clock().now()));
      });
    } catch (const std::exception& e) {
      // The address is personal data; the log names the notice only.
      spdlog::warn(R"({{"job":"notify","notification":{},"error":"{}"}})", n.id, e.what());
      instance_.store().write([&](StoreTransaction& tx) { tx.notifications().mark_failed(n.id, e.what()); });
    }
  }
  return true;
}

void BackgroundJobs::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      run_once();
    } catch (const std::exception& e) {
      spdlog::warn(R"({{"job":"background","error":"{}"}})", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, options_.period, [this] { return stopping_; });
  }
}

}  // namespace lontar
