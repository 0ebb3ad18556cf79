#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "instance/instance.h"

namespace lontar::cmp {

// CMP (RFC 4210, Lightweight CMP Profile RFC 9483) on OpenSSL's OSSL_CMP_SRV_CTX, over
// the procedure's services:
//   ir/cr/p10cr  MAC with a LOCK request's CSR token (reference: the request number):
//                the key goes to the verifiers; the client polls until it is decided;
//   kur          signed with the holder's current certificate: a renewal (queued or,
//                under the product's automatic policy, issued at once);
//   rr           signed with the certificate to revoke;
//   genm         either protection: answers with the CA certificates;
//   certConf     a certificate the client rejects is revoked;
//   cr/p10cr     signed by a registered registration authority (`lontar ra add`), for
//                the product the path names: issued at once under the RA's vetting
//                (RAVerified accepted); sent again with the same transactionID, it is
//                answered with the same certificate; rr from the RA revokes what it asked for.
// Each message is answered by a fresh OpenSSL server context; a transaction's state
// lives in the database, so pollReq and certConf may reach any server.
class CmpServer final {
 public:
  explicit CmpServer(Instance& instance);
  ~CmpServer();
  CmpServer(const CmpServer&) = delete;
  CmpServer& operator=(const CmpServer&) = delete;

  static constexpr std::size_t kMaxMessageBytes = 64 * 1024;

  // The DER response; nullopt when `der` is not a PKIMessage at all (nothing to answer
  // in CMP: no transactionID to echo).
  // `profile` is the path's product, "" for /.well-known/cmp.
  std::optional<std::string> handle(std::string_view der, std::string_view profile = {});

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lontar::cmp
