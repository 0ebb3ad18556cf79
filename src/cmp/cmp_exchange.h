#pragma once

#include <openssl/cmp.h>

#include <optional>
#include <string>
#include <vector>

#include "crypto/cmp_envelope.h"
#include "core/certificate_record.h"
#include "core/registration_authorities.h"
#include "core/store.h"
#include "crypto/certificate.h"
#include "instance/instance.h"

namespace lontar::cmp {

// PKIBody choices (RFC 4210 §5.1.2), as OSSL_CMP_MSG_get_bodytype numbers them; OpenSSL
// 3.0 keeps its own names for them private.
namespace body {
constexpr int ir = 0, cr = 2, p10cr = 4, kur = 7, rr = 11, genm = 21, error = 23, cert_conf = 24, poll_req = 25;
}

// What the callbacks do with the message OpenSSL hands them.
enum class Phase {
  live,            // first sight: the procedure acts on it
  replay_waiting,  // a continuation's first message, replayed to rebuild OpenSSL's state
  replay_issued,   //   … as it was answered when the certificate came
  deliver,         // a pollReq found the request decided: answer with its outcome
  refuse,          // answer with `refusal`, act on nothing
};

struct Refusal {
  int fail_bit = OSSL_CMP_PKIFAILUREINFO_badRequest;
  std::string text;
};

// One HTTP request's worth of CMP: the message, what the server decided about its
// protection before OpenSSL checked it, and what the callbacks found.
struct Exchange {
  Exchange(Instance& on, const std::vector<crypto::Certificate>& ca_chain) : instance(on), chain(ca_chain) {}
  Instance& instance;
  const std::vector<crypto::Certificate>& chain;  // issuing CA, root
  Phase phase = Phase::live;
  Refusal refusal;
  int body = -1;
  std::string transaction_id;  // hex
  std::string message_der;
  crypto::CmpEnvelope envelope;
  std::int64_t request_id = 0;  // the MAC's reference, or the transaction's request
  std::string token;            // the MAC's secret
  std::optional<CertificateRecord> holder;    // the signer's certificate
  std::optional<CmpTransaction> transaction;  // a continuation's transaction
  std::optional<RegistrationAuthority> ra;    // the registration authority that signed it
  std::string profile;                        // /.well-known/cmp/p/{profile}: the product asked for
  bool reached = false;                       // protection passed: a callback ran
  std::string outcome;                        // for the log line
};

void install_callbacks(OSSL_CMP_SRV_CTX* server, Exchange& exchange);

}  // namespace lontar::cmp
