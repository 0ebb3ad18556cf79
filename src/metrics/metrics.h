#pragma once

#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Counter;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace lontar::metrics {

// Families read when /metrics is scraped (database gauges, the current CRL…).
using Source = std::function<std::vector<prometheus::MetricFamily>()>;

// The process's counters and histograms (prometheus-cpp), and the sources read at
// scrape time. One per process, like the default logger: every layer that counts
// something reaches it without being handed it. Label values are route patterns,
// actions and outcomes, never a path, a NIK or a serial, so the series stay few.
class Metrics final {
 public:
  static Metrics& process();

  void count_http(std::string_view method, std::string_view route, int status, double seconds);
  // Audit actions a committed transaction appended ("certificate.issued", …).
  void count_audited(const std::vector<std::string>& actions);
  void count_transaction(bool write, double seconds);
  void count_verification(std::string_view verdict);
  void count_pool_refusal(std::string_view lane);

  void set_source(const std::string& name, Source source);
  void remove_source(const std::string& name);

  // The Prometheus text exposition format (version 0.0.4).
  std::string render() const;

 private:
  Metrics();
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_seconds_;
  prometheus::Family<prometheus::Counter>& audited_;
  prometheus::Counter& issued_;
  prometheus::Counter& revoked_;
  prometheus::Family<prometheus::Histogram>& transaction_seconds_;
  prometheus::Family<prometheus::Counter>& verifications_;
  prometheus::Family<prometheus::Counter>& pool_refusals_;
  mutable std::mutex sources_mutex_;
  std::vector<std::pair<std::string, Source>> sources_;
};

// One sample of a gauge or counter family built at scrape time.
prometheus::MetricFamily gauge(const std::string& name, const std::string& help, double value);
prometheus::MetricFamily counter(const std::string& name, const std::string& help, double value);
// Adds a labelled sample to a family made by gauge() or counter().
void add_sample(prometheus::MetricFamily& family, std::vector<prometheus::ClientMetric::Label> labels, double value);

}  // namespace lontar::metrics
