#pragma once

#include <string>
#include <vector>

namespace lontar {

// What validates a signature offline, years later (PAdES B-LT, ETSI EN 319 142-1 §5.4):
// the certificates of every chain involved and revocation answers for them, each as
// DER, kept in the document's security store.
struct ValidationData {
  std::vector<std::string> certificates;
  std::vector<std::string> ocsp_responses;
  std::vector<std::string> crls;
};

}  // namespace lontar
