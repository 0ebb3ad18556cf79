#pragma once

#include <functional>

#include "instance/instance.h"
#include "http/router.h"

namespace lontar {

// Endpoints anyone may call: health and the CA certificates. /healthz answers 503
// "draining" once `draining` says so (a balancer then sends no new requests).
void add_public_routes(http::Router& router, Instance& instance, std::function<bool()> draining = {});

}  // namespace lontar
