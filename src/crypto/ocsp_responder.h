#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <atomic>
#include <unordered_map>

#include "core/certificate_record.h"
#include "core/clock.h"
#include "crypto/certificate.h"
#include "crypto/ossl_ptr.h"
#include "crypto/signer.h"

namespace lontar::crypto {

struct OcspReply {
  std::string der;               // an OCSPResponse, whatever its status
  std::int64_t max_age = 0;      // seconds a cache may keep it; 0 = do not cache
  std::string etag;              // for GET responses
  std::int64_t this_update = 0;
  std::int64_t next_update = 0;
  bool all_known = true;         // false when a serial asked about is not one of ours
};

// An RFC 6960 responder in the RFC 5019 lightweight profile, signing with the
// delegated OCSP certificate. Responses to single requests without a nonce are
// signed once per certificate and served from a cache until half their validity has
// passed or invalidate() is called after a status change; so the common request
// costs a lookup, not a signature. Only answers about this CA's own certificates are
// cached (an `unknown` is signed every time: anyone can ask about any serial), and the
// cache holds at most `max_cached` answers, dropping stale ones first.
class OcspResponder final {
 public:
  using StatusLookup = std::function<std::optional<CertificateStatusInfo>(const std::string& serial_hex)>;

  using ResponderKey = std::function<std::shared_ptr<const Signer>()>;

  static constexpr std::size_t kDefaultMaxCached = 50000;

  OcspResponder(const Certificate& issuer, ResponderKey responder, StatusLookup lookup, const Clock& clock,
                std::chrono::seconds validity = std::chrono::hours{1}, std::size_t max_cached = kDefaultMaxCached);

  // Never throws for bad input: garbage gets malformedRequest, another CA's
  // certificates get unauthorized.
  OcspReply respond(std::string_view request_der);
  void invalidate();
  std::size_t cached() const;
  // Answers served from the cache, and answers signed (nonce, unknown, stale or new).
  std::uint64_t cache_hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t cache_misses() const noexcept { return misses_.load(std::memory_order_relaxed); }

 private:
  OcspReply sign_reply(OCSP_REQUEST* request);
  OcspReply error_reply(int status) const;
  void remember(const std::string& key, const OcspReply& reply);

  const Certificate& issuer_;
  ResponderKey responder_;
  StatusLookup lookup_;
  const Clock& clock_;
  std::chrono::seconds validity_;
  std::size_t max_cached_;

  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, OcspReply> cache_;  // CertID DER → reply
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace lontar::crypto
