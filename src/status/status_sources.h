#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "instance/instance.h"

namespace lontar {

// Where certificate status and timestamps come from for the documents signed here and
// for the status endpoints: this CA's own responder, TSA and root CRL, or — in RA mode —
// the upstream CA's, over HTTP, OCSP answers kept for a minute (a revocation made here
// clears them).
class StatusSources {
 public:
  virtual ~StatusSources() = default;
  virtual std::string ocsp(std::string_view request_der) = 0;
  virtual std::string timestamp(std::string_view request_der) = 0;
  virtual std::string root_crl() = 0;
};

std::unique_ptr<StatusSources> make_status_sources(Instance& instance);

}  // namespace lontar
