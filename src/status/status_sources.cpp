#include "status/status_sources.h"

#include <map>
#include <mutex>

#include "core/encoding.h"
#include "crypto/http_fetch.h"
#include "crypto/timestamp_authority.h"
#include "status/status_services.h"

namespace lontar {

namespace {

class OwnSources final : public StatusSources {
 public:
  explicit OwnSources(Instance& instance)
      : instance_(instance),
        responder_(make_ocsp_responder(instance, std::chrono::hours{1})),
        tsa_(instance.tsa_signer(), read_file(instance.dir().chain()), instance.config().timestamp_policy,
             instance.random(), instance.clock()) {}
  std::string ocsp(std::string_view request) override { return responder_->respond(request).der; }
  std::string timestamp(std::string_view request) override { return tsa_.respond(request); }
  std::string root_crl() override { return read_file(instance_.dir().root_crl()); }

 private:
  Instance& instance_;
  std::unique_ptr<crypto::OcspResponder> responder_;
  crypto::TimestampAuthority tsa_;
};

class UpstreamSources final : public StatusSources {
 public:
  explicit UpstreamSources(Instance& instance) : instance_(instance), settings_(instance.config().upstream) {}

  std::string ocsp(std::string_view request) override {
    const auto key = sha256_hex(request);
    const auto now = to_unix(instance_.clock().now());
    std::int64_t version = 0;
    instance_.store().read([&](StoreTransaction& tx) { version = tx.ca_state().status_version(); });
    {
      std::lock_guard lock(mutex_);
      if (version != seen_version_) {
        answers_.clear();
        seen_version_ = version;
      }
      if (const auto found = answers_.find(key); found != answers_.end() && found->second.first > now)
        return found->second.second;
    }
    auto answer = crypto::fetch({settings_.ocsp_url, "application/ocsp-request", std::string(request),
                                 "application/ocsp-response", 64 * 1024, settings_.timeout_seconds});
    std::lock_guard lock(mutex_);
    if (answers_.size() >= kMaxAnswers) answers_.clear();
    answers_[key] = {now + kKeepSeconds, answer};
    return answer;
  }

  std::string timestamp(std::string_view request) override {
    return crypto::fetch({settings_.tsa_url, "application/timestamp-query", std::string(request),
                          "application/timestamp-reply", 64 * 1024, settings_.timeout_seconds});
  }

  std::string root_crl() override {
    const auto now = to_unix(instance_.clock().now());
    {
      std::lock_guard lock(mutex_);
      if (crl_until_ > now) return crl_;
    }
    auto crl = crypto::fetch({settings_.crl_url, "", "", "", 16 * 1048576, settings_.timeout_seconds});
    std::lock_guard lock(mutex_);
    crl_ = crl;
    crl_until_ = now + kKeepSeconds * 5;
    return crl;
  }

 private:
  static constexpr std::int64_t kKeepSeconds = 60;
  static constexpr std::size_t kMaxAnswers = 4096;
  Instance& instance_;
  const UpstreamSettings& settings_;
  std::mutex mutex_;
  std::int64_t seen_version_ = -1;
  std::map<std::string, std::pair<std::int64_t, std::string>> answers_;
  std::string crl_;
  std::int64_t crl_until_ = 0;
};

}  // namespace

std::unique_ptr<StatusSources> make_status_sources(Instance& instance) {
  if (instance.config().ra_mode()) return std::make_unique<UpstreamSources>(instance);
  return std::make_unique<OwnSources>(instance);
}

}  // namespace lontar
