#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/account.h"
#include "core/certificate_record.h"
#include "core/document.h"
#include "core/store.h"

namespace lontar {

struct RegisteredDocument {
  SignedDocument document;
  std::optional<CertificateRecord> signer_certificate;
};

// What one visitor of a document's verification page may see of it.
struct DocumentView {
  bool withdrawn = false;   // then nothing of the content: no title, pages or file
  bool is_signer = false;   // the visitor holds the signing certificate's account
  bool may_withdraw = false;
  int pages_shown = 0;      // previews 1..pages_shown
  bool download = false;    // the whole registered file
};

// The view of `document` for `viewer` (none: anonymous). `full` documents show every
// page and the file to anyone holding the code; `summary` ones the first page only,
// except to the signer and staff (verifiers, helpdesk, administrators, auditors).
DocumentView view_of(const RegisteredDocument& document, const std::optional<Account>& viewer);

// What the QR code's verification code opens: the registration and the signer's
// certificate as it stands now; and its withdrawal.
class DocumentRegistry final {
 public:
  explicit DocumentRegistry(Store& store) : store_(store) {}

  // Nothing for a code that is not one Lontar hands out or that nobody registered.
  std::optional<RegisteredDocument> find(std::string_view code) const;

  // The signer or an administrator withdraws a document, with a reason the page then
  // shows; audited. Throws not_found (no such document), forbidden (anyone else),
  // invalid_input (no reason, or longer than 200 characters) or conflict (withdrawn already).
  SignedDocument withdraw(std::string_view code, const Account& by, const std::string& reason, std::int64_t now);

 private:
  Store& store_;
};

}  // namespace lontar
