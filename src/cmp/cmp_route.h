#pragma once

#include "http/router.h"
#include "instance/instance.h"

namespace lontar {

// POST /.well-known/cmp (RFC 9483 §3.2, application/pkixcmp), answered on the anonymous
// work pool: its protection is checked there, off the threads that answer everyone.
void add_cmp_routes(http::Router& router, Instance& instance);

}  // namespace lontar
