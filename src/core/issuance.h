#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/certificate_factory.h"
#include "core/certificate_record.h"
#include "core/clock.h"
#include "core/product.h"
#include "core/random.h"
#include "core/store.h"

namespace lontar {

struct OperatorIssue {
  std::string nik;
  std::string product_id;
  std::string csr;    // PEM or DER, untrusted
  std::string actor;  // who asked, for the audit trail
};

// Issues certificates: checks a CSR against the account and product, decides the
// subject, serial and validity, has the factory sign, and records certificate,
// request state and audit event in one transaction.
class IssuanceService final {
 public:
  IssuanceService(Store& store, const CertificateFactory& factory, const ProductCatalog& products,
                  const Clock& clock, RandomSource& random)
      : store_(store), factory_(factory), products_(products), clock_(clock), random_(random) {}

  // The operator path (`lontar cert issue`): no applicant request precedes it, so a
  // request row is written directly in the issued state.
  CertificateRecord issue_for_operator(const OperatorIssue& command) const;

  // 16 random octets, positive, first octet non-zero so the DER length is fixed:
  // 126 bits of entropy (RFC 5280 §4.1.2.2 allows at most 20 octets).
  std::vector<std::uint8_t> new_serial() const;

  CertificateProfile build_profile(const Account& account, const Product& product) const;

  // Checks the key against the product and signs a certificate for the account (no
  // database write; the caller records it).
  CertificateRecord prepare(const Account& account, const Product& product, const SigningRequest& csr) const;
  // Signs a certificate for the account and commits it with `record` (which writes
  // the rows, using record_issued) in one transaction. A serial found taken at commit
  // is replaced by a new one and signed again; a key certified meanwhile for the same
  // account throws policy "key_reused".
  using Recorder = std::function<void(StoreTransaction&, CertificateRecord&)>;
  CertificateRecord issue(const Account& account, const Product& product, const SigningRequest& csr,
                          const Recorder& record) const;
  // Inside the caller's transaction: supersedes the holder's valid certificates of that
  // type, inserts the certificate, audits both. `record.request_id` must be set.
  // Returns the serials it superseded.
  std::vector<std::string> record_issued(StoreTransaction& tx, CertificateRecord& record, const Account& account,
              const std::string& actor) const;

 private:
  Store& store_;
  const CertificateFactory& factory_;
  const ProductCatalog& products_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace lontar
