#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/offline_check.h"

namespace lontar {

struct OfflineReport {
  std::vector<crypto::OfflineCheck> signatures;  // in the file's order
  bool covers_file = false;  // every update after each signature is one it allows
  bool refused = false;      // built to mislead: see problem
  std::string problem;       // why it is refused or changed
  bool long_term_validation_data = false;
  bool valid() const;
};

// Verifies a signed PDF the way a relying party can years later, without Lontar's
// server or database: each signature against `trust_anchor_pem` (the root CA) using
// only the certificates, OCSP answers and CRLs the document carries.
OfflineReport verify_offline(std::string_view pdf, std::string_view trust_anchor_pem);

}  // namespace lontar
