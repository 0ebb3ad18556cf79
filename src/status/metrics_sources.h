#pragma once

#include "http/router.h"
#include "http/server.h"
#include "instance/instance.h"
#include "status/status_services.h"

namespace lontar {

// What /metrics reads when scraped, besides the counters every layer keeps: the work
// waiting in the database, the CRL and the OCSP cache (nullptr in RA mode: they are
// the upstream's), the heavy-work pools of `server`. Registered while the returned
// object lives.
class MetricsSources final {
 public:
  MetricsSources(Instance& instance, StatusServices* status, const http::HttpServer& server);
  ~MetricsSources();
  MetricsSources(const MetricsSources&) = delete;
  MetricsSources& operator=(const MetricsSources&) = delete;
};

// GET /metrics: the Prometheus text format, never cached. Add it only to a router
// whose listener the operator keeps private.
void add_metrics_route(http::Router& router);

}  // namespace lontar
