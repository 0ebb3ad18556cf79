#pragma once

#include <nlohmann/json.hpp>

#include "core/account.h"
#include "core/product.h"
#include "core/request.h"

namespace lontar {

// A request as the API shows it: never the token hash, the CSR, the eSign envelope
// or the sealed key. Reviewers also see who applied and the key's fingerprint.
nlohmann::json request_json(const CertificateRequest& r, const ProductCatalog& products,
                            const Account* applicant_for_reviewer = nullptr);

}  // namespace lontar
