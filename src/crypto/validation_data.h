#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/validation_data.h"

namespace lontar::crypto {

// Answers an OCSP request (DER) with an OCSPResponse (DER): the CA's responder in
// process on the server, over HTTP in lontar-lock.
using OcspClient = std::function<std::string(std::string_view request_der)>;

// Gathers the long-term validation data of a CAdES signature value: the signer's and
// the timestamp authority's certificates with their chain from `chain_pem` (issuing
// CA and root), a current OCSP answer for each of the two end-entity certificates —
// checked: signed by a responder that chains to the root in `chain_pem` — and
// `crls_der` (the root's CRL, which covers the issuing CA).
// Throws Error(policy, "certificate_revoked") when an answer says a certificate is
// revoked, Error(invalid_input) when an answer cannot be used.
ValidationData gather_validation_data(std::string_view cms_der, std::string_view chain_pem, const OcspClient& ocsp,
                                      std::vector<std::string> crls_der);

}  // namespace lontar::crypto
