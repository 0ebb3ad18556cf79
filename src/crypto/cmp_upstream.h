#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/upstream.h"
#include "crypto/signer.h"

namespace lontar::crypto {

struct CmpUpstreamSettings {
  std::string name;
  std::string cmp_url;  // "/p/{profile}" is appended for certification requests
  std::map<std::string, std::string, std::less<>> profiles;  // product → upstream profile
  std::string chain_pem;  // the upstream's CA certificates; the self-signed ones are trusted
  int timeout_seconds = 20;
};

// The upstream CA over CMP (RFC 4210, RFC 9483) with OpenSSL's client (OSSL_CMP_CTX):
// a cr whose template carries the key and the subject, proof of possession RAVerified
// (the RA saw it proven), signed with the RA's certificate; the answer must be signed by
// a certificate that chains to the upstream root. The certificate is checked (key,
// subject, chain) and kept before certConf accepts it. Revocations are rr.
class CmpUpstream final : public UpstreamCa {
 public:
  CmpUpstream(CmpUpstreamSettings settings, std::shared_ptr<const Signer> ra);
  const std::string& name() const override { return settings_.name; }
  void certify(const UpstreamOrderDetails& order, const SigningRequest& key,
               const std::function<void(const UpstreamCertificate&)>& keep) const override;
  void revoke(std::string_view certificate_pem, int reason) const override;

 private:
  CmpUpstreamSettings settings_;
  std::shared_ptr<const Signer> ra_;
};

}  // namespace lontar::crypto
