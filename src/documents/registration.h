#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "instance/instance.h"
#include "core/document.h"

namespace lontar {

struct DocumentRegistration {
  SignedDocument record;
  bool created = false;  // false: the same file was registered before (a retried call)
};

// Registers a document a LOCK holder signed on their own computer (lontar-lock sign),
// so that its QR code opens a verification page. The signature itself is the
// holder's credential: its newest signature must be intact, made with a certificate
// this CA issued and that is valid now, carry a timestamp from this CA's timestamp
// authority at most ten minutes old, and name PUBLIC_URL/v/CODE as its /ContactInfo
// inside the signed bytes — so only the key's holder can register it, and only under
// the code it was signed for. Earlier signatures in the file must be intact too.
// Throws invalid_input (not a usable signed PDF), policy (certificate not valid,
// timestamp stale) or conflict (the code holds another file).
struct RegistrationDetails {
  std::string title;  // empty: the PDF's /Title
  std::optional<DocumentVisibility> visibility;  // none: the configuration's default
};
DocumentRegistration register_signed_document(Instance& instance, const std::string& code, std::string_view pdf,
                                              const RegistrationDetails& details = {});

}  // namespace lontar
