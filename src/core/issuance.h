#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/certificate_factory.h"
#include "core/certificate_record.h"
#include "core/clock.h"
#include "core/product.h"
#include "core/random.h"
#include "core/registration_authorities.h"
#include "core/store.h"

namespace lontar {

struct OperatorIssue {
  std::string nik;
  std::string product_id;
  std::string csr;    // PEM or DER, untrusted
  std::string actor;  // who asked, for the audit trail
};

// What a registration authority asks for, having vetted the holder itself: the subject
// and addresses it decided, for a product it is registered for.
struct RaIssue {
  RegistrationAuthority ra;
  std::string product_id;
  std::vector<SubjectAttribute> subject;
  std::vector<std::string> email_addresses;
  CmpTransaction transaction;  // committed with the certificate: one transaction, one certificate
};

// Issues certificates: checks a CSR against the account and product, decides the
// subject, serial and validity, has the factory sign, and records certificate,
// request state and audit event in one transaction.
// Empty when a subject chosen by an RA is one this CA writes; otherwise why not.
std::string check_ra_subject(const std::vector<SubjectAttribute>& subject);

class IssuanceService final {
 public:
  IssuanceService(Store& store, const CertificateFactory& factory, const ProductCatalog& products,
                  const Clock& clock, RandomSource& random)
      : store_(store), factory_(factory), products_(products), clock_(clock), random_(random) {}

  // The operator path (`lontar cert issue`): no applicant request precedes it, so a
  // request row is written directly in the issued state.
  CertificateRecord issue_for_operator(const OperatorIssue& command) const;

  // Under the RA's vetting: no verifier here. The certificate is kept under the RA's
  // account and supersedes nothing (the RA tells which of its certificates to revoke).
  // Throws forbidden "product_not_allowed", invalid_input for a subject Lontar would not
  // write, conflict "transaction_in_use" when the transaction was recorded meanwhile.
  CertificateRecord issue_for_ra(const RaIssue& command, const SigningRequest& key) const;

  // 16 random octets, positive, first octet non-zero so the DER length is fixed:
  // 126 bits of entropy (RFC 5280 §4.1.2.2 allows at most 20 octets).
  std::vector<std::uint8_t> new_serial() const;

  CertificateProfile build_profile(const Account& account, const Product& product) const;
  // The serial and validity alone (the subject is decided by the caller).
  CertificateProfile base_profile(const Product& product) const;

  // Checks the key against the product and signs a certificate for the account (no
  // database write; the caller records it).
  CertificateRecord prepare(const Account& account, const Product& product, const SigningRequest& csr) const;
  CertificateRecord sign_profile(const Account& account, const Product& product, const SigningRequest& csr,
                                 const CertificateProfile& profile) const;
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
                                         const std::string& actor, bool supersede = true) const;

 private:
  CertificateRecord issue_signed(const Account& account, const SigningRequest& csr,
                                 const std::function<CertificateRecord()>& sign, const Recorder& record) const;

  Store& store_;
  const CertificateFactory& factory_;
  const ProductCatalog& products_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace lontar
