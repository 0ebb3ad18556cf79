// Untrusted input: an OCSP request from anyone on the network.
#include <openssl/ocsp.h>

#include <cstdlib>

#include "core/random.h"
#include "crypto/ca_hierarchy.h"
#include "crypto/ocsp_responder.h"
#include "fuzz_target.h"

namespace {
struct Responder {
  lontar::SystemRandom random;
  lontar::SystemClock clock;
  lontar::crypto::CaHierarchy ca = [this] {
    lontar::crypto::CaHierarchyOptions options;
    options.urls = lontar::crypto::CaUrls::under("http://127.0.0.1:8080");
    return lontar::crypto::create_ca_hierarchy(options, clock.now(), random);
  }();
  std::shared_ptr<const lontar::crypto::Signer> signer = std::make_shared<const lontar::crypto::FileSigner>(
      lontar::crypto::PrivateKey::share(ca.ocsp.key.get()), ca.ocsp.certificate.duplicate());
  lontar::crypto::OcspResponder responder{
      ca.issuing.certificate, [this] { return signer; },
      [](const std::string& serial) -> std::optional<lontar::CertificateStatusInfo> {
        if (serial.empty() || serial.back() == '0') return std::nullopt;
        lontar::CertificateStatusInfo info;
        info.serial_hex = serial;
        info.status = serial.back() == '1' ? lontar::CertificateStatus::revoked : lontar::CertificateStatus::valid;
        info.revoked_at = 1767225600;
        info.revocation_reason = "keyCompromise";
        return info;
      },
      clock};
};

Responder& responder() {
  static Responder instance;
  return instance;
}

std::string request_for(const std::string& serial_hex, bool nonce) {
  auto& r = responder();
  lontar::crypto::OsslPtr<BIGNUM> bn;
  BIGNUM* raw = nullptr;
  BN_hex2bn(&raw, serial_hex.c_str());
  bn.reset(raw);
  lontar::crypto::OsslPtr<ASN1_STRING> serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  OCSP_CERTID* id = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(r.ca.issuing.certificate.get()),
                                     X509_get0_pubkey_bitstr(r.ca.issuing.certificate.get()), serial.get());
  lontar::crypto::OsslPtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  OCSP_request_add0_id(request.get(), id);
  if (nonce) OCSP_request_add1_nonce(request.get(), nullptr, 16);
  unsigned char* der = nullptr;
  const int length = i2d_OCSP_REQUEST(request.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto reply = responder().responder.respond(std::string_view(reinterpret_cast<const char*>(data), size));
  // Whatever came in, what goes out is a well-formed OCSPResponse.
  const auto* cursor = reinterpret_cast<const unsigned char*>(reply.der.data());
  lontar::crypto::OsslPtr<OCSP_RESPONSE> parsed(d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(reply.der.size())));
  if (!parsed) std::abort();
  return 0;
}

std::vector<std::string> lontar_fuzz_seeds() {
  return {request_for("4A01", false), request_for("4A02", true), request_for("4A00", false)};
}
