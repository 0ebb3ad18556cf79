#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lontar::crypto {

// What the server must know of a PKIMessage (RFC 4210 §5.1) before OpenSSL's CMP server
// checks it, and what OpenSSL 3.0 has no getter for: which secret or certificate to
// check its protection with, and the key a CRMF request proves. Read from DER that
// d2i_OSSL_CMP_MSG has already accepted; every read is bounded by its enclosing length.
struct CmpEnvelope {
  std::string sender_kid;        // header [2] senderKID: the MAC's reference
  bool mac_protected = false;    // header [1] protectionAlg is PasswordBasedMac
  std::string first_extra_cert;  // DER of extraCerts[0], the signer's certificate (RFC 9483 §3.3)
  std::string request_key;       // ir/cr/kur: the first request's template publicKey, as SPKI DER
  int revocation_reason = -1;    // rr: crlEntryDetails' CRLReason, -1 when absent
};

// nullopt when the bytes are not laid out as a PKIMessage.
std::optional<CmpEnvelope> read_envelope(std::string_view der);

}  // namespace lontar::crypto
