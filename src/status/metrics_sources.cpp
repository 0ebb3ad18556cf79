#include "status/metrics_sources.h"

#include "core/clock.h"
#include "metrics/metrics.h"

namespace lontar {

namespace {
using metrics::add_sample;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::int64_t kExpiryWindow = 30 * 24 * 3600;

std::vector<MetricFamily> database_gauges(Instance& instance) {
  const auto now = to_unix(instance.clock().now());
  const auto began = std::chrono::steady_clock::now();
  OperationalGauges g;
  bool up = true;
  try {
    instance.store().read([&](StoreTransaction& tx) { g = tx.inventory().operational(now, kExpiryWindow); });
  } catch (const std::exception&) {
    up = false;
  }
  const double probe = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::vector<MetricFamily> out;
  out.push_back(metrics::gauge("lontar_database_up", "1 when the database answered the scrape's queries", up));
  out.push_back(metrics::gauge("lontar_database_probe_seconds", "Time the scrape's database queries took", probe));
  out.push_back(metrics::gauge("lontar_database_memory_bytes",
                               "SQLite's memory in this process, page caches included (0 on PostgreSQL)",
                               static_cast<double>(instance.store().memory_in_use())));
  out.push_back(metrics::gauge("lontar_database_memory_limit_bytes",
                               "What SQLite keeps its memory near: [database] sqlite_memory_mib (0 on PostgreSQL)",
                               static_cast<double>(instance.store().memory_limit())));
  if (!up) return out;
  out.push_back(metrics::gauge("lontar_requests_waiting", "Requests submitted and waiting for a verifier",
                               static_cast<double>(g.requests_waiting)));
  out.push_back(metrics::gauge("lontar_requests_oldest_waiting_seconds",
                               "How long the oldest waiting request has waited (0 when none waits)",
                               g.oldest_waiting_since ? static_cast<double>(now - g.oldest_waiting_since) : 0.0));
  out.push_back(metrics::gauge("lontar_requests_approved_unissued", "Requests approved and not issued yet",
                               static_cast<double>(g.requests_approved)));
  out.push_back(metrics::gauge("lontar_certificates_expiring_30d", "Valid certificates that end within 30 days",
                               static_cast<double>(g.certificates_expiring)));
  out.push_back(metrics::gauge("lontar_outbox_backlog", "Notices written and not sent yet",
                               static_cast<double>(g.outbox_backlog)));
  return out;
}

std::vector<MetricFamily> status_gauges(Instance& instance, StatusServices& status) {
  std::vector<MetricFamily> out;
  if (const auto crl = status.crl()) {
    out.push_back(metrics::gauge("lontar_crl_number", "Number of the CRL this server publishes",
                                 static_cast<double>(crl->number)));
    out.push_back(metrics::gauge("lontar_crl_age_seconds", "Seconds since that CRL's thisUpdate",
                                 static_cast<double>(to_unix(instance.clock().now()) - crl->this_update)));
  }
  MetricFamily cache{"lontar_ocsp_cache_requests_total", "OCSP requests answered from the cache or signed anew",
                     MetricType::Counter, {}};
  add_sample(cache, {{"result", "hit"}}, static_cast<double>(status.ocsp().cache_hits()));
  add_sample(cache, {{"result", "miss"}}, static_cast<double>(status.ocsp().cache_misses()));
  out.push_back(std::move(cache));
  out.push_back(metrics::gauge("lontar_ocsp_cache_entries", "OCSP answers kept in the cache",
                               static_cast<double>(status.ocsp().cached())));
  return out;
}

std::vector<MetricFamily> pool_gauges(const http::HttpServer& server) {
  MetricFamily running{"lontar_work_pool_running", "Heavy requests (document checks) running, by lane",
                       MetricType::Gauge, {}};
  MetricFamily waiting{"lontar_work_pool_waiting", "Heavy requests waiting for a worker, by lane", MetricType::Gauge, {}};
  MetricFamily saturation{"lontar_work_pool_saturation",
                          "(running + waiting) / capacity, by lane: at 1 new heavy requests get 503",
                          MetricType::Gauge, {}};
  const auto [anonymous, signed_in] = server.pool_load();
  for (const auto& [lane, load] : {std::pair{"anonymous", anonymous}, std::pair{"signed_in", signed_in}}) {
    add_sample(running, {{"lane", lane}}, static_cast<double>(load.running));
    add_sample(waiting, {{"lane", lane}}, static_cast<double>(load.waiting));
    add_sample(saturation, {{"lane", lane}},
               load.capacity ? static_cast<double>(load.running + load.waiting) / static_cast<double>(load.capacity)
                             : 0.0);
  }
  std::vector<MetricFamily> out;
  out.push_back(std::move(running));
  out.push_back(std::move(waiting));
  out.push_back(std::move(saturation));
  out.push_back(metrics::gauge("lontar_draining", "1 while the server drains after SIGTERM", server.draining()));
  return out;
}
}  // namespace

MetricsSources::MetricsSources(Instance& instance, StatusServices* status, const http::HttpServer& server) {
  auto& m = metrics::Metrics::process();
  m.set_source("database", [&instance] { return database_gauges(instance); });
  if (status) m.set_source("status", [&instance, status] { return status_gauges(instance, *status); });
  m.set_source("pools", [&server] { return pool_gauges(server); });
  m.set_source("build", [] {
    MetricFamily info{"lontar_build_info", "Always 1; the version in its label", MetricType::Gauge, {}};
    add_sample(info, {{"version", LONTAR_VERSION}}, 1);
    return std::vector<MetricFamily>{std::move(info)};
  });
}

MetricsSources::~MetricsSources() {
  auto& m = metrics::Metrics::process();
  for (const char* name : {"database", "status", "pools", "build"}) m.remove_source(name);
}

void add_metrics_route(http::Router& router) {
  router.add("GET", "/metrics", [](const http::HttpRequest&) {
    http::HttpResponse response;
    response.status = 200;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics::Metrics::process().render();
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
}

}  // namespace lontar
