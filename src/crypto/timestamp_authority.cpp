#include "crypto/timestamp_authority.h"

#include <openssl/ts.h>

#include "crypto/certificate.h"
#include "crypto/crypto_error.h"
#include "crypto/ossl_ptr.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

namespace {
ASN1_INTEGER* random_serial(TS_RESP_CTX* ctx, void* data) {
  auto& random = *static_cast<RandomSource*>(data);
  std::uint8_t bytes[16];
  random.fill(bytes);
  bytes[0] = static_cast<std::uint8_t>((bytes[0] & 0x3f) | 0x40);  // positive, fixed length
  OsslPtr<BIGNUM> number(BN_bin2bn(bytes, sizeof bytes, nullptr));
  ASN1_INTEGER* serial = number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr;
  if (!serial) {
    TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "Error during serial number generation.");
    TS_RESP_CTX_add_failure_info(ctx, TS_INFO_ADD_INFO_NOT_AVAILABLE);
  }
  return serial;
}
int clock_time(TS_RESP_CTX*, void* data, long* seconds, long* microseconds) {
  const auto since_epoch = static_cast<const Clock*>(data)->now().time_since_epoch();
  *seconds = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
  *microseconds = static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count() % 1000000);
  return 1;
}
}  // namespace

TimestampAuthority::TimestampAuthority(std::shared_ptr<const Signer> signer, std::string chain_pem,
                                       std::string policy_oid, RandomSource& random, const Clock& clock)
    : signer_(std::move(signer)), chain_pem_(std::move(chain_pem)), policy_oid_(std::move(policy_oid)),
      random_(random), clock_(clock) {}

std::string TimestampAuthority::respond(std::string_view request_der) const {
  OsslPtr<TS_RESP_CTX> context(TS_RESP_CTX_new());
  if (!context) throw_openssl("allocating a timestamp context");
  auto* ctx = context.get();
  if (TS_RESP_CTX_set_signer_cert(ctx, signer_->certificate().get()) != 1 ||
      TS_RESP_CTX_set_signer_key(ctx, signer_->key()) != 1 ||
      TS_RESP_CTX_set_signer_digest(ctx, signature_digest(signer_->key())) != 1 ||
      TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) != 1)
    throw_openssl("setting up the timestamp signer");
  // The chain goes into the token when the requester asks for certificates.
  const CertificateStack chain(Certificate::all_from_pem(chain_pem_));
  const int chained = TS_RESP_CTX_set_certs(ctx, chain.get());  // copies the stack
  OsslPtr<ASN1_OBJECT> policy(OBJ_txt2obj(policy_oid_.c_str(), 1));
  if (chained != 1 || !policy || TS_RESP_CTX_set_def_policy(ctx, policy.get()) != 1 ||
      TS_RESP_CTX_add_md(ctx, EVP_sha256()) != 1 || TS_RESP_CTX_add_md(ctx, EVP_sha384()) != 1 ||
      TS_RESP_CTX_add_md(ctx, EVP_sha512()) != 1 || TS_RESP_CTX_set_accuracy(ctx, 1, 0, 0) != 1)
    throw_openssl("setting up the timestamp policy");
  TS_RESP_CTX_add_flags(ctx, TS_ESS_CERT_ID_CHAIN);
  TS_RESP_CTX_set_serial_cb(ctx, random_serial, &random_);
  TS_RESP_CTX_set_time_cb(ctx, clock_time, const_cast<Clock*>(&clock_));
  auto bio = memory_bio(request_der);
  OsslPtr<TS_RESP> response(TS_RESP_create_response(ctx, bio.get()));
  if (!response) throw_openssl("creating the timestamp response");
  return encode_der(response.get(), i2d_TS_RESP, "encoding the timestamp response");
}

}  // namespace lontar::crypto
