#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/product.h"
#include "core/store.h"

namespace lontar {

struct NewRegistrationAuthority {
  std::string name;
  std::string certificate_pem;
  std::string certificate_sha256;  // of its DER: how a signed message names it
  std::vector<std::string> products;
  std::string actor;
};

// The registration authorities a CA issues for (EJBCA's CMP "RA mode"): an RA signs its
// requests with its own certificate, and the CA trusts its vetting for the products
// registered here — no verifier of the CA sees those requests.
class RegistrationAuthorities final {
 public:
  RegistrationAuthorities(Store& store, const ProductCatalog& products, const Clock& clock)
      : store_(store), products_(products), clock_(clock) {}

  // Registers the RA with an account of its own ("ra:NAME"), under which what it asks
  // for is kept. Throws invalid_input for a bad name or product, conflict when the name
  // or certificate is registered already.
  RegistrationAuthority add(const NewRegistrationAuthority& command) const;
  void remove(std::string_view name, const std::string& actor) const;
  std::vector<RegistrationAuthority> list() const;
  // The RA of that name, removed or not; nullopt when none.
  std::optional<RegistrationAuthority> by_name(std::string_view name) const;
  // The registered RA whose certificate this is, removed or not; nullopt when none.
  std::optional<RegistrationAuthority> by_certificate(std::string_view sha256) const;

 private:
  Store& store_;
  const ProductCatalog& products_;
  const Clock& clock_;
};

bool may_request(const RegistrationAuthority& ra, std::string_view product_id);
// How an RA is named in the audit trail.
std::string audit_actor(const RegistrationAuthority& ra);

}  // namespace lontar
