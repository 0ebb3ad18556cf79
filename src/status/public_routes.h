#pragma once

#include "instance/instance.h"
#include "http/router.h"

namespace lontar {

// Endpoints anyone may call: health and the CA certificates.
void add_public_routes(http::Router& router, Instance& instance);

}  // namespace lontar
