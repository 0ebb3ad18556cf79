// Untrusted input: a CMP message (RFC 4210) from anyone on the network. What the server
// reads of it by hand before OpenSSL checks it (crypto/cmp_envelope.cpp) must stay
// inside the bytes, whatever they are; OpenSSL's own parser runs beside it.
#include <openssl/cmp.h>

#include <cstdlib>

#include "crypto/cmp_envelope.h"
#include "crypto/ossl_ptr.h"
#include "crypto/private_key.h"
#include "fuzz_target.h"

namespace {

// A client's messages, captured instead of sent.
std::string captured;
OSSL_CMP_MSG* capture(OSSL_CMP_CTX*, const OSSL_CMP_MSG* request) {
  unsigned char* der = nullptr;
  const int length = i2d_OSSL_CMP_MSG(request, &der);
  if (length > 0) captured.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return nullptr;
}

std::string message(int kind) {
  lontar::crypto::OsslPtr<OSSL_CMP_CTX> ctx(OSSL_CMP_CTX_new(nullptr, nullptr));
  OSSL_CMP_CTX_set_log_cb(ctx.get(), [](const char*, const char*, int, OSSL_CMP_severity, const char*) { return 1; });
  const unsigned char secret[] = "ABCD-EFGH-JKMN-PQRS-TVWX";
  const unsigned char reference[] = "42";
  OSSL_CMP_CTX_set1_secretValue(ctx.get(), secret, sizeof secret - 1);
  OSSL_CMP_CTX_set1_referenceValue(ctx.get(), reference, sizeof reference - 1);
  lontar::crypto::OsslPtr<X509_NAME> name(X509_NAME_new());
  X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Fuzz"), -1, -1, 0);
  OSSL_CMP_CTX_set1_recipient(ctx.get(), name.get());
  OSSL_CMP_CTX_set1_subjectName(ctx.get(), name.get());
  OSSL_CMP_CTX_set_transfer_cb(ctx.get(), capture);
  captured.clear();
  if (kind == 0) {
    sk_OSSL_CMP_ITAV_pop_free(OSSL_CMP_exec_GENM_ses(ctx.get()), OSSL_CMP_ITAV_free);
  } else {
    auto key = lontar::crypto::PrivateKey::generate("ec-p256");
    EVP_PKEY_up_ref(key.get());
    OSSL_CMP_CTX_set0_newPkey(ctx.get(), 1, key.get());
    X509_free(OSSL_CMP_exec_certreq(ctx.get(), kind == 1 ? OSSL_CMP_IR : OSSL_CMP_P10CR, nullptr));
  }
  return captured;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto envelope = lontar::crypto::read_envelope(bytes);
  // What it read lies inside the message.
  if (envelope && (envelope->sender_kid.size() > size || envelope->first_extra_cert.size() > size ||
                   envelope->request_key.size() > size || envelope->revocation_reason > 255))
    std::abort();
  const auto* cursor = data;
  lontar::crypto::OsslPtr<OSSL_CMP_MSG> parsed(d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(size)));
  return 0;
}

std::vector<std::string> lontar_fuzz_seeds() { return {message(0), message(1), message(2)}; }
