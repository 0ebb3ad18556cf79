#pragma once

#include <optional>
#include <string>

#include "instance/instance.h"
#include "core/document.h"
#include "core/validation_data.h"
#include "crypto/private_key.h"

namespace lontar {

struct SignDocumentCommand {
  std::string pdf;
  std::string certificate_pem;  // must be a valid certificate of this CA
  int page = 0;                 // 1-based; 0 = last page
  std::string reason;
  std::string actor;
  bool visible_stamp = true;
  StampPosition position = StampPosition::bottom_left;
  std::string title;      // as the signer entered it; may be empty
  std::string file_name;  // of the upload, the title's last resort
  std::optional<DocumentVisibility> visibility;  // none: the configuration's default
};

struct SignedDocumentResult {
  std::string pdf;
  SignedDocument record;
  std::string verification_url;
};

// Signs a PDF (PAdES B-T: CAdES detached, signing-certificate-v2, a timestamp from
// Lontar's own TSA) with a visible stamp whose QR code opens PUBLIC_URL/v/ID, and
// registers the document. Refuses a certificate that is revoked, superseded, expired or
// not issued here: a signature made after revocation is never produced.
SignedDocumentResult sign_document(Instance& instance, const crypto::PrivateKey& key,
                                   const SignDocumentCommand& command);

struct EsignKey {
  crypto::PrivateKey key;
  std::string certificate_pem;
};
// Opens the holder's newest valid server-held key of `type` with the passphrase (one
// Argon2id derivation), for one signature or a batch. Throws not_found when the holder
// has no valid eSign certificate, unauthenticated when the passphrase is wrong.
EsignKey open_esign_key(Instance& instance, const Account& holder, std::string_view passphrase, CertificateType type);

// eSign: signs with the holder's server-held key, opened with the passphrase for this
// one signature only. Throws not_found when the holder has no valid eSign certificate,
// unauthenticated when the passphrase is wrong.
// `type` chooses between the holder's individual certificate and the unit's seal
// (issued to the holder after two verifiers approved it).
SignedDocumentResult sign_with_esign(Instance& instance, const Account& holder, std::string_view passphrase,
                                     SignDocumentCommand command,
                                     CertificateType type = CertificateType::individual);

// documents.default_visibility of the configuration.
DocumentVisibility default_visibility(const Instance& instance);
// Throws Error(invalid_input, "pdf_too_large") past documents.max_pdf_mib.
void require_document_size(const Instance& instance, std::string_view pdf);

// PUBLIC_URL/v/CODE, what the QR code on the stamp encodes.
std::string document_url(const Instance& instance, const std::string& code);
// The chain, OCSP answers and the root's CRL for a signature value (PAdES B-LT).
ValidationData validation_data_for(Instance& instance, std::string_view cms_der);


}  // namespace lontar
