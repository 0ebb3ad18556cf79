#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "instance/instance.h"
#include "crypto/ocsp_responder.h"
#include "http/router.h"

namespace lontar {

struct PublishedCrl {
  std::string der;
  std::int64_t number = 0;
  std::int64_t this_update = 0;
  std::int64_t next_update = 0;
  std::string etag;
};

struct StatusOptions {
  std::chrono::seconds crl_validity{std::chrono::hours{24 * 7}};
  std::chrono::seconds ocsp_validity{std::chrono::hours{1}};
  // How often the database is asked whether any status changed (in any process).
  std::chrono::milliseconds poll_interval{1000};
};

// Generates and signs a full CRL, streaming the revoked entries from the database.
PublishedCrl generate_crl(Store& store, const crypto::Signer& issuing, const Clock& clock,
                          std::chrono::seconds validity);

// The CA's OCSP responder answering from the database of `instance` (opened with the CA key).
std::unique_ptr<crypto::OcspResponder> make_ocsp_responder(Instance& instance, std::chrono::seconds validity);

// The CRL and OCSP services of one `lontar serve`. A watcher thread polls the
// database's status version: a revocation by any process (the CLI, another server)
// clears the OCSP cache and regenerates the CRL within one poll interval; the CRL is
// also regenerated when half its validity has passed.
class StatusServices final {
 public:
  StatusServices(Instance& instance, StatusOptions options);
  ~StatusServices();
  StatusServices(const StatusServices&) = delete;
  StatusServices& operator=(const StatusServices&) = delete;

  void add_routes(http::Router& router);
  std::shared_ptr<const PublishedCrl> crl() const;
  crypto::OcspResponder& ocsp() { return *ocsp_; }
  void refresh_now();

 private:
  void watch();
  void regenerate_crl();

  Instance& instance_;
  StatusOptions options_;
  std::unique_ptr<crypto::OcspResponder> ocsp_;
  mutable std::mutex crl_mutex_;
  std::shared_ptr<const PublishedCrl> crl_;
  std::int64_t seen_version_ = -1;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace lontar
