#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "crypto/certificate.h"
#include "crypto/private_key.h"

namespace lontar::crypto {

// Answers an RFC 3161 TimeStampReq (DER) with a TimeStampResp (DER).
using TimestampClient = std::function<std::string(std::string_view request_der)>;

// A PAdES baseline signature value (ETSI EN 319 142-1, ETSI.CAdES.detached): a detached
// CMS SignedData over `signed_bytes` with SHA-256 (or the key's stronger digest), the
// signed attributes contentType, messageDigest and ESS signing-certificate-v2, the
// signer's certificate and chain, and — when `timestamp` is given — a
// signature-time-stamp token as an unsigned attribute (level B-T).
std::string make_pades_cms(const PrivateKey& key, const Certificate& certificate, std::string_view chain_pem,
                           std::string_view signed_bytes, const TimestampClient& timestamp);

}  // namespace lontar::crypto
