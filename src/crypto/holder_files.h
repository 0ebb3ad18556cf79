#pragma once

#include <string>
#include <string_view>

#include "crypto/private_key.h"

namespace lontar::crypto {

// PKCS#12 (RFC 7292) with the key, its certificate and the chain, protected by
// `passphrase` with PBES2/PBKDF2/AES-256-CBC and a SHA-256 MAC: what `openssl pkcs12`
// and current PDF readers open.
std::string make_pkcs12(const PrivateKey& key, std::string_view certificate_pem, std::string_view chain_pem,
                        std::string_view passphrase, const std::string& friendly_name);

// Whether `certificate_pem` chains to the certificates in `trusted_pem` (a root and
// the issuing CA), checked by OpenSSL's verifier at the current time.
bool chains_to(std::string_view certificate_pem, std::string_view trusted_pem);

// SHA-256 (hex) of the SubjectPublicKeyInfo in a certificate, or in a PEM public key.
std::string certificate_key_sha256(std::string_view certificate_pem);
std::string public_key_sha256(std::string_view public_key_pem);

// Whether the certificate certifies this key.
bool certifies(std::string_view certificate_pem, const PrivateKey& key);

}  // namespace lontar::crypto
