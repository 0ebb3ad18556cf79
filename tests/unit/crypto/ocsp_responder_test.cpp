#include "crypto/ocsp_responder.h"

#include <gtest/gtest.h>
#include <openssl/ocsp.h>

#include <map>

#include "crypto/certificate.h"
#include "support/fake_clock.h"
#include "support/test_instance.h"

namespace lontar::crypto {
namespace {

using OcspCertIdPtr = std::unique_ptr<OCSP_CERTID, decltype(&OCSP_CERTID_free)>;

// An OCSP request for `serial_hex` under `issuer`, built with OpenSSL's own API.
std::string request_for(const Certificate& issuer, const std::string& serial_hex) {
  BIGNUM* number = nullptr;
  EXPECT_GT(BN_hex2bn(&number, serial_hex.c_str()), 0);
  OsslPtr<ASN1_STRING> serial(BN_to_ASN1_INTEGER(number, nullptr));
  BN_free(number);
  OCSP_CERTID* id = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(issuer.get()),
                                     X509_get0_pubkey_bitstr(issuer.get()), serial.get());
  OsslPtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  EXPECT_TRUE(OCSP_request_add0_id(request.get(), id));
  unsigned char* der = nullptr;
  const int length = i2d_OCSP_REQUEST(request.get(), &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

struct Answer {
  int response_status = -1;
  int cert_status = -1;
  int reason = -1;
  bool signature_ok = false;
};

// What openssl makes of the reply: its status, the certificate's status, and whether
// the signature verifies against the CA's own chain.
Answer read_reply(const std::string& der, const Certificate& issuer, const std::string& serial_hex,
                  const std::string& chain_pem) {
  Answer answer;
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  OsslPtr<OCSP_RESPONSE> response(d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(der.size())));
  if (!response) return answer;
  answer.response_status = OCSP_response_status(response.get());
  OsslPtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(response.get()));
  if (!basic) return answer;
  OsslPtr<X509_STORE> store(X509_STORE_new());
  for (const auto& certificate : Certificate::all_from_pem(chain_pem))
    X509_STORE_add_cert(store.get(), certificate.get());
  answer.signature_ok = OCSP_basic_verify(basic.get(), nullptr, store.get(), 0) == 1;
  BIGNUM* number = nullptr;
  BN_hex2bn(&number, serial_hex.c_str());
  OsslPtr<ASN1_STRING> serial(BN_to_ASN1_INTEGER(number, nullptr));
  BN_free(number);
  OcspCertIdPtr id(OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(issuer.get()),
                                    X509_get0_pubkey_bitstr(issuer.get()), serial.get()),
                   OCSP_CERTID_free);
  ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
  OCSP_resp_find_status(basic.get(), id.get(), &answer.cert_status, &answer.reason, &revoked, &this_update,
                        &next_update);
  return answer;
}

class OcspResponderTest : public ::testing::Test {
 protected:
  OcspReply ask(const std::string& serial) { return responder_.respond(request_for(issuer_, serial)); }
  Answer answer(const std::string& serial) {
    return read_reply(ask(serial).der, issuer_, serial, read_file(test_.instance().dir().chain()));
  }

  testing::TestInstance test_;
  testing::FakeClock clock_{std::chrono::system_clock::now()};
  const Certificate& issuer_ = test_.instance().issuing_signer().certificate();
  std::map<std::string, CertificateStatusInfo> statuses_;
  int lookups_ = 0;
  OcspResponder responder_{issuer_, [this] { return test_.instance().ocsp_signer(); },
                           [this](const std::string& serial) -> std::optional<CertificateStatusInfo> {
                             ++lookups_;
                             const auto found = statuses_.find(serial);
                             if (found == statuses_.end()) return std::nullopt;
                             return found->second;
                           },
                           clock_};
};

TEST_F(OcspResponderTest, OpensslReadsGoodRevokedAndUnknownSignedByTheDelegatedResponder) {
  const auto later = to_unix(clock_.now()) + 86400 * 365;
  statuses_["0A11"] = {"0A11", CertificateStatus::valid, 0, "", 0, later};
  statuses_["0B22"] = {"0B22", CertificateStatus::revoked, to_unix(clock_.now()) - 60, "keyCompromise", 0, later};
  const auto good = answer("0A11");
  EXPECT_EQ(good.response_status, OCSP_RESPONSE_STATUS_SUCCESSFUL);
  EXPECT_TRUE(good.signature_ok);
  EXPECT_EQ(good.cert_status, V_OCSP_CERTSTATUS_GOOD);
  const auto revoked = answer("0B22");
  EXPECT_TRUE(revoked.signature_ok);
  EXPECT_EQ(revoked.cert_status, V_OCSP_CERTSTATUS_REVOKED);
  EXPECT_EQ(revoked.reason, OCSP_REVOKED_STATUS_KEYCOMPROMISE);
  const auto unknown = answer("0C33");
  EXPECT_TRUE(unknown.signature_ok);
  EXPECT_EQ(unknown.cert_status, V_OCSP_CERTSTATUS_UNKNOWN);
}

TEST_F(OcspResponderTest, RepeatedQuestionsAreAnsweredFromTheCacheUntilInvalidated) {
  statuses_["0A11"] = {"0A11", CertificateStatus::valid, 0, "", 0, to_unix(clock_.now()) + 86400};
  const auto first = ask("0A11");
  const auto lookups = lookups_;
  const auto second = ask("0A11");
  EXPECT_EQ(second.der, first.der);  // the same signed answer, not a new signature
  EXPECT_EQ(lookups_, lookups);
  EXPECT_GT(first.max_age, 0);
  EXPECT_FALSE(first.etag.empty());
  responder_.invalidate();
  EXPECT_EQ(responder_.cached(), 0u);
  statuses_["0A11"].status = CertificateStatus::revoked;
  statuses_["0A11"].revocation_reason = "superseded";
  EXPECT_EQ(answer("0A11").cert_status, V_OCSP_CERTSTATUS_REVOKED);
}

TEST_F(OcspResponderTest, GarbageAndOtherIssuersGetErrorsNotCrashes) {
  for (const std::string& garbage : {std::string(), std::string("\x30\x03\x02\x01", 4), std::string(5000, '\x30')}) {
    const auto reply = responder_.respond(garbage);
    const auto* cursor = reinterpret_cast<const unsigned char*>(reply.der.data());
    OsslPtr<OCSP_RESPONSE> response(d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(reply.der.size())));
    ASSERT_TRUE(response);
    EXPECT_EQ(OCSP_response_status(response.get()), OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    EXPECT_EQ(reply.max_age, 0);
  }
  // The root is not the issuer this responder speaks for.
  const auto root = Certificate::from_pem(read_file(test_.instance().dir().certificate("root")));
  const auto reply = responder_.respond(request_for(root, "0A11"));
  EXPECT_EQ(read_reply(reply.der, root, "0A11", "").response_status, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
}

// Anyone may ask about any serial: those answers are signed each time, never kept, and
// the answers that are kept (this CA's certificates) stay within the bound.
TEST_F(OcspResponderTest, UnknownSerialsAreNotCachedAndTheCacheIsBounded) {
  const auto later = to_unix(clock_.now()) + 86400;
  for (int i = 0; i < 200; ++i) ask("7F" + std::to_string(100000 + i));
  EXPECT_EQ(responder_.cached(), 0u) << "unknown answers were kept";

  OcspResponder bounded{issuer_, [this] { return test_.instance().ocsp_signer(); },
                        [&](const std::string& serial) -> std::optional<CertificateStatusInfo> {
                          return CertificateStatusInfo{serial, CertificateStatus::valid, 0, "", 0, later};
                        },
                        clock_, std::chrono::hours{1}, 8};
  for (int i = 0; i < 50; ++i) bounded.respond(request_for(issuer_, "0A" + std::to_string(1000 + i)));
  EXPECT_EQ(bounded.cached(), 8u);
  // A certificate asked about again and again stays answered from the cache.
  const auto first = bounded.respond(request_for(issuer_, "0A1049"));
  EXPECT_EQ(bounded.respond(request_for(issuer_, "0A1049")).der, first.der);
}

}  // namespace
}  // namespace lontar::crypto
