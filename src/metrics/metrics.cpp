#include "metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/text_serializer.h>

#include <algorithm>

namespace lontar::metrics {

namespace {
const prometheus::Histogram::BucketBoundaries kHttpBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1,    2.5,   5,   10};
const prometheus::Histogram::BucketBoundaries kDatabaseBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                               0.05,   0.1,   0.25,   0.5,   1,    5};
}  // namespace

Metrics& Metrics::process() {
  static Metrics metrics;
  return metrics;
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      http_requests_(prometheus::BuildCounter()
                         .Name("lontar_http_requests_total")
                         .Help("HTTP requests answered, by method, route pattern and status")
                         .Register(*registry_)),
      http_seconds_(prometheus::BuildHistogram()
                        .Name("lontar_http_request_duration_seconds")
                        .Help("Time from a request's arrival to its answer, by method and route pattern")
                        .Register(*registry_)),
      audited_(prometheus::BuildCounter()
                   .Name("lontar_audit_events_total")
                   .Help("Audit events committed by this process, by action")
                   .Register(*registry_)),
      issued_(prometheus::BuildCounter()
                  .Name("lontar_certificates_issued_total")
                  .Help("Certificates issued by this process")
                  .Register(*registry_)
                  .Add({})),
      revoked_(prometheus::BuildCounter()
                   .Name("lontar_certificates_revoked_total")
                   .Help("Certificates revoked or superseded by this process")
                   .Register(*registry_)
                   .Add({})),
      transaction_seconds_(prometheus::BuildHistogram()
                               .Name("lontar_database_transaction_seconds")
                               .Help("Database transactions, begin to commit, by kind (read or write)")
                               .Register(*registry_)),
      verifications_(prometheus::BuildCounter()
                         .Name("lontar_document_verifications_total")
                         .Help("Documents checked, by verdict")
                         .Register(*registry_)),
      pool_refusals_(prometheus::BuildCounter()
                         .Name("lontar_work_pool_refused_total")
                         .Help("Heavy requests refused with 503 because their lane's pool was full")
                         .Register(*registry_)) {}

namespace {
// A client may send any token as its method: only the standard ones become labels, so
// nobody can grow the series without bound.
std::string method_label(std::string_view method) {
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    if (method == known) return known;
  return "other";
}
}  // namespace

void Metrics::count_http(std::string_view method, std::string_view route, int status, double seconds) {
  const std::string m = method_label(method), r(route);
  http_requests_.Add({{"method", m}, {"route", r}, {"status", std::to_string(status)}}).Increment();
  http_seconds_.Add({{"method", m}, {"route", r}}, kHttpBuckets).Observe(seconds);
}

void Metrics::count_audited(const std::vector<std::string>& actions) {
  for (const auto& action : actions) {
    audited_.Add({{"action", action}}).Increment();
    if (action == "certificate.issued") issued_.Increment();
    if (action == "certificate.revoked" || action == "certificate.superseded") revoked_.Increment();
  }
}

void Metrics::count_transaction(bool write, double seconds) {
  transaction_seconds_.Add({{"kind", write ? "write" : "read"}}, kDatabaseBuckets).Observe(seconds);
}

void Metrics::count_verification(std::string_view verdict) {
  verifications_.Add({{"verdict", std::string(verdict)}}).Increment();
}

void Metrics::count_pool_refusal(std::string_view lane) { pool_refusals_.Add({{"lane", std::string(lane)}}).Increment(); }

void Metrics::set_source(const std::string& name, Source source) {
  std::lock_guard lock(sources_mutex_);
  std::erase_if(sources_, [&](const auto& entry) { return entry.first == name; });
  sources_.emplace_back(name, std::move(source));
}

void Metrics::remove_source(const std::string& name) {
  std::lock_guard lock(sources_mutex_);
  std::erase_if(sources_, [&](const auto& entry) { return entry.first == name; });
}

std::string Metrics::render() const {
  auto families = registry_->Collect();
  std::vector<std::pair<std::string, Source>> sources;
  {
    std::lock_guard lock(sources_mutex_);
    sources = sources_;
  }
  for (const auto& [name, source] : sources) {
    auto more = source();
    families.insert(families.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

namespace {
prometheus::MetricFamily family(const std::string& name, const std::string& help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily f{name, help, type, {}};
  add_sample(f, {}, value);
  return f;
}
}  // namespace

prometheus::MetricFamily gauge(const std::string& name, const std::string& help, double value) {
  return family(name, help, prometheus::MetricType::Gauge, value);
}

prometheus::MetricFamily counter(const std::string& name, const std::string& help, double value) {
  return family(name, help, prometheus::MetricType::Counter, value);
}

void add_sample(prometheus::MetricFamily& family, std::vector<prometheus::ClientMetric::Label> labels, double value) {
  prometheus::ClientMetric sample;
  sample.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter)
    sample.counter.value = value;
  else
    sample.gauge.value = value;
  family.metric.push_back(std::move(sample));
}

}  // namespace lontar::metrics
