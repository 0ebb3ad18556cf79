#include "crypto/offline_check.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/cms_parts.h"
#include "crypto/ocsp_answer.h"
#include "crypto/signature_check.h"

namespace lontar::crypto {

namespace {
const Certificate* issuer_of(X509* subject, const std::vector<Certificate>& candidates) {
  for (const auto& c : candidates)
    if (X509_check_issued(c.get(), subject) == X509_V_OK) return &c;
  return nullptr;
}

}  // namespace

// The verified embedded answers about one certificate, read once per document: every
// signature's timestamp authority is usually the same certificate.
const std::vector<OcspAnswer>& EmbeddedEvidence::answers_about(X509* subject) {
  const auto key = Certificate(OsslPtr<X509>(X509_dup(subject))).der();
  if (const auto known = answers_.find(key); known != answers_.end()) return known->second;
  auto& found = answers_[key];
  const auto* issuer = issuer_of(subject, chain);
  if (!issuer) return found;
  for (const auto& der : embedded.ocsp_responses) try {
      found.push_back(read_ocsp_answer(der, subject, issuer->get(), chain));
    } catch (const Error&) {
      // An answer about another certificate, or not from a trusted responder.
    }
  return found;
}

EmbeddedEvidence::EmbeddedEvidence(std::string_view trust_anchor_pem, const ValidationData& data)
    : anchor(Certificate::from_pem(trust_anchor_pem)), embedded(data) {
  chain = Certificate::all_from_pem(embedded_certificates_pem(data));
  chain.push_back(anchor.duplicate());
}

namespace {
// The status the embedded OCSP answers give `subject` at `when`. A "good" answer
// speaks for the signing time only if it was current then (signed after it, or not
// yet past its next update): an old answer copied from another document says nothing
// about a signature made with a key stolen since.
std::string status_from_answers(X509* subject, EmbeddedEvidence& evidence, const std::optional<TimePoint>& when) {
  if (!subject) return "no data";
  std::string status = "no data";
  for (const auto& answer : evidence.answers_about(subject)) {
    if (answer.status == OcspAnswer::Status::revoked)
      return when && answer.revoked_at && *answer.revoked_at > *when ? "revoked after signing" : "revoked";
    const bool current = !when || (answer.this_update && *answer.this_update >= *when) ||
                         (answer.next_update && *answer.next_update >= *when);
    if (answer.status == OcspAnswer::Status::good && current) status = "good";
    if (answer.status == OcspAnswer::Status::good && !current && status == "no data") status = "no current data";
  }
  return status;
}

// The issuing CA's status from an embedded CRL signed by the trust anchor.
// A CRL past its next update at the signing time is not current evidence (the same
// rule as for OCSP answers).
std::string status_from_crls(X509* subject, const Certificate& anchor, const ValidationData& embedded,
                             const std::optional<TimePoint>& when) {
  if (!subject) return "no data";
  for (const auto& der : embedded.crls) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    OsslPtr<X509_CRL> crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size())));
    if (!crl || X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(anchor.get())) != 0 ||
        X509_CRL_verify(crl.get(), X509_get0_pubkey(anchor.get())) != 1) {
      ERR_clear_error();
      continue;
    }
    const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl.get());
    if (when && next_update && to_time_point(next_update) < *when) continue;
    X509_REVOKED* entry = nullptr;
    return X509_CRL_get0_by_cert(crl.get(), &entry, subject) == 1 ? "revoked" : "good";
  }
  return "no data";
}

}  // namespace

std::string embedded_certificates_pem(const ValidationData& embedded) {
  std::string pem;
  for (const auto& der : embedded.certificates) try {
      pem += Certificate::from_der(der).pem();
    } catch (const Error&) {
    }
  return pem;
}

bool OfflineCheck::valid() const {
  const auto usable = [](const std::string& s) { return s == "good" || s == "revoked after signing"; };
  return intact && timestamp && chain_valid && usable(signer_status) && usable(timestamp_authority_status) &&
         issuer_status == "good";
}

OfflineCheck check_offline(const SignatureCheck& check, std::string_view cms_der, EmbeddedEvidence& evidence) {
  OfflineCheck out;
  if (check.refused) return out;
  const auto& chain = evidence.chain;
  out.signer_subject = check.signer_subject;
  out.intact = check.intact;
  out.timestamp = check.timestamp;
  out.chain_valid = check.trusted;
  const auto signature = CmsSignature::parse(cms_der);
  const auto token = signature.timestamp_token();
  const auto tsa = timestamp_signer(token.get());
  out.signer_status = status_from_answers(signature.signer_certificate.get(), evidence, out.timestamp);
  out.timestamp_authority_status = status_from_answers(tsa.get(), evidence, out.timestamp);
  const auto* issuing = signature.signer_certificate ? issuer_of(signature.signer_certificate.get(), chain) : nullptr;
  out.issuer_status = issuing ? status_from_crls(issuing->get(), evidence.anchor, evidence.embedded, out.timestamp) : "no data";
  return out;
}

}  // namespace lontar::crypto
