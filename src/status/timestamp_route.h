#pragma once

#include "instance/instance.h"
#include "http/router.h"

namespace lontar {

// POST /tsa: RFC 3161 over HTTP (application/timestamp-query → application/timestamp-reply),
// and GET /ca/tsa.crt, the TSA certificate.
void add_timestamp_routes(http::Router& router, Instance& instance);

}  // namespace lontar
