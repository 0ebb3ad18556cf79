#pragma once

#include "http/router.h"
#include "instance/instance.h"

namespace lontar {

// RA mode: /ocsp, /crl/root.crl and /tsa answer with the upstream CA's services (the
// holders' certificates are the upstream's), so that lontar-lock signs against this
// server as against a CA. Anonymous: each counts against the caller's public budget,
// on the anonymous lane.
void add_upstream_routes(http::Router& router, Instance& instance);

}  // namespace lontar
