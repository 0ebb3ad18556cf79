#pragma once

#include <optional>
#include <string_view>

#include "core/certificate_record.h"
#include "core/document.h"
#include "core/store.h"

namespace lontar {

struct RegisteredDocument {
  SignedDocument document;
  std::optional<CertificateRecord> signer_certificate;
};

// What the QR code's verification code opens: the registration and the signer's
// certificate as it stands now.
class DocumentRegistry final {
 public:
  explicit DocumentRegistry(Store& store) : store_(store) {}

  // Nothing for a code that is not one Lontar hands out or that nobody registered.
  std::optional<RegisteredDocument> find(std::string_view code) const;

 private:
  Store& store_;
};

}  // namespace lontar
