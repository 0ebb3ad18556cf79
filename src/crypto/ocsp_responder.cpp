#include "crypto/ocsp_responder.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include <mutex>

#include "core/encoding.h"
#include "core/revocation.h"
#include "crypto/certificate.h"
#include "crypto/crypto_error.h"

namespace lontar::crypto {

namespace {
std::string to_der(OCSP_RESPONSE* response) {
  return encode_der<OCSP_RESPONSE>(response, i2d_OCSP_RESPONSE, "an OCSP response");
}

std::string certid_der(OCSP_CERTID* id) { return encode_der<OCSP_CERTID>(id, i2d_OCSP_CERTID, "a CertID"); }

std::string serial_hex(const ASN1_INTEGER* serial) { return integer_hex(serial); }

OsslPtr<ASN1_TIME> asn1_time(std::int64_t unix_seconds) {
  OsslPtr<ASN1_TIME> time(ASN1_TIME_set(nullptr, static_cast<time_t>(unix_seconds)));
  if (!time) throw_openssl("encoding a time");
  return time;
}
}  // namespace

OcspResponder::OcspResponder(const Certificate& issuer, ResponderKey responder, StatusLookup lookup,
                             const Clock& clock, std::chrono::seconds validity, std::size_t max_cached)
    : issuer_(issuer),
      responder_(std::move(responder)),
      lookup_(std::move(lookup)),
      clock_(clock),
      validity_(validity),
      max_cached_(max_cached) {}

OcspReply OcspResponder::error_reply(int status) const {
  OsslPtr<OCSP_RESPONSE> response(OCSP_response_create(status, nullptr));
  if (!response) throw_openssl("creating an OCSP error response");
  return OcspReply{to_der(response.get()), 0, {}, 0, 0};
}

OcspReply OcspResponder::respond(std::string_view request_der) {
  try {
    auto* cursor = reinterpret_cast<const unsigned char*>(request_der.data());
    OsslPtr<OCSP_REQUEST> request(d2i_OCSP_REQUEST(nullptr, &cursor, static_cast<long>(request_der.size())));
    if (!request || cursor != reinterpret_cast<const unsigned char*>(request_der.data() + request_der.size()) ||
        OCSP_request_onereq_count(request.get()) < 1) {
      ERR_clear_error();
      return error_reply(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    }
    const bool has_nonce = OCSP_REQUEST_get_ext_by_NID(request.get(), NID_id_pkix_OCSP_Nonce, -1) >= 0;
    std::string cache_key;
    if (!has_nonce && OCSP_request_onereq_count(request.get()) == 1) {
      cache_key = certid_der(OCSP_onereq_get0_id(OCSP_request_onereq_get0(request.get(), 0)));
      const auto now = to_unix(clock_.now());
      std::shared_lock lock(cache_mutex_);
      const auto found = cache_.find(cache_key);
      if (found != cache_.end() && now < found->second.this_update + validity_.count() / 2) {
        OcspReply reply = found->second;
        reply.max_age = std::max<std::int64_t>(0, reply.next_update - now);
        hits_.fetch_add(1, std::memory_order_relaxed);
        return reply;
      }
    }
    misses_.fetch_add(1, std::memory_order_relaxed);
    OcspReply reply = sign_reply(request.get());
    if (!cache_key.empty() && reply.max_age > 0 && reply.all_known) remember(cache_key, reply);
    return reply;
  } catch (const Error&) {
    ERR_clear_error();
    return error_reply(OCSP_RESPONSE_STATUS_INTERNALERROR);
  }
}

OcspReply OcspResponder::sign_reply(OCSP_REQUEST* request) {
  const auto now = to_unix(clock_.now());
  const auto next = now + validity_.count();
  const auto this_update = asn1_time(now);
  const auto next_update = asn1_time(next);
  OsslPtr<OCSP_BASICRESP> basic(OCSP_BASICRESP_new());
  if (!basic) throw_openssl("creating an OCSP response");

  bool all_known = true;
  const int count = OCSP_request_onereq_count(request);
  for (int i = 0; i < count; ++i) {
    OCSP_CERTID* id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(request, i));
    ASN1_OBJECT* digest_oid = nullptr;
    ASN1_INTEGER* serial = nullptr;
    if (OCSP_id_get0_info(nullptr, &digest_oid, nullptr, &serial, id) != 1) return error_reply(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    const EVP_MD* digest = EVP_get_digestbyobj(digest_oid);
    if (!digest) return error_reply(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    // RFC 5019 §2.2.3: a responder answers only for the CA it serves.
    OsslPtr<OCSP_CERTID> ours(OCSP_cert_id_new(digest, X509_get_subject_name(issuer_.get()),
                                               X509_get0_pubkey_bitstr(issuer_.get()), serial));
    if (!ours || OCSP_id_issuer_cmp(ours.get(), id) != 0) {
      ERR_clear_error();
      return error_reply(OCSP_RESPONSE_STATUS_UNAUTHORIZED);
    }
    const auto status = lookup_(serial_hex(serial));
    OCSP_SINGLERESP* single = nullptr;
    if (!status) {
      all_known = false;
      single = OCSP_basic_add1_status(basic.get(), id, V_OCSP_CERTSTATUS_UNKNOWN, 0, nullptr, this_update.get(),
                                      next_update.get());
    } else if (status->status == CertificateStatus::valid) {
      single = OCSP_basic_add1_status(basic.get(), id, V_OCSP_CERTSTATUS_GOOD, 0, nullptr, this_update.get(),
                                      next_update.get());
    } else {
      const auto revoked_at = asn1_time(status->revoked_at);
      const auto reason =
          parse_revocation_reason(status->revocation_reason).value_or(RevocationReason::unspecified);
      single = OCSP_basic_add1_status(basic.get(), id, V_OCSP_CERTSTATUS_REVOKED, reason_code(reason),
                                      revoked_at.get(), this_update.get(), next_update.get());
    }
    if (!single) throw_openssl("adding an OCSP status");
  }
  if (OCSP_REQUEST_get_ext_by_NID(request, NID_id_pkix_OCSP_Nonce, -1) >= 0 &&
      OCSP_copy_nonce(basic.get(), request) <= 0)
    throw_openssl("copying the nonce");
  const auto signer = responder_();
  if (OCSP_basic_sign(basic.get(), signer->certificate().get(), signer->key(), EVP_sha256(), nullptr,
                      OCSP_RESPID_KEY) != 1)
    throw_openssl("signing an OCSP response");
  OsslPtr<OCSP_RESPONSE> response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  if (!response) throw_openssl("creating an OCSP response");
  OcspReply reply;
  reply.der = to_der(response.get());
  reply.this_update = now;
  reply.next_update = next;
  reply.max_age = next - now;
  reply.etag = "\"" + sha256_hex(reply.der).substr(0, 32) + "\"";
  reply.all_known = all_known;
  return reply;
}

// At the bound, stale answers go first; if none is stale, an arbitrary one makes room
// (it is signed again when next asked for).
void OcspResponder::remember(const std::string& key, const OcspReply& reply) {
  std::unique_lock lock(cache_mutex_);
  if (max_cached_ == 0) return;
  if (cache_.size() >= max_cached_ && !cache_.contains(key)) {
    const auto fresh_until = to_unix(clock_.now()) - validity_.count() / 2;
    std::erase_if(cache_, [&](const auto& entry) { return entry.second.this_update <= fresh_until; });
    if (cache_.size() >= max_cached_) cache_.erase(cache_.begin());
  }
  cache_[key] = reply;
}

void OcspResponder::invalidate() {
  std::unique_lock lock(cache_mutex_);
  cache_.clear();
}

std::size_t OcspResponder::cached() const {
  std::shared_lock lock(cache_mutex_);
  return cache_.size();
}

}  // namespace lontar::crypto
