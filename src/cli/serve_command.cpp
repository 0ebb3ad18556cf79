#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "instance/instance.h"
#include "api/api.h"
#include "cmp/cmp_route.h"
#include "jobs/background_jobs.h"
#include "jobs/preview_process.h"
#include "jobs/preview_worker.h"
#include "metrics/metrics.h"
#include "portal/portal.h"
#include "status/metrics_sources.h"
#include "status/public_routes.h"
#include "status/status_services.h"
#include "status/upstream_routes.h"
#include "status/timestamp_route.h"
#include "cli/commands.h"
#include "core/error.h"
#include "http/server.h"

namespace lontar::cli {

namespace {
struct SetOnExit {
  std::shared_ptr<std::atomic<bool>> flag;
  ~SetOnExit() { flag->store(true); }
};

struct ServeOptions {
  std::filesystem::path data;
  CaKeyOption ca;
  std::string listen;
  std::string metrics_listen;
  bool allow_plain_http = false;
  bool tls = false;
};

http::ServerLimits limits_for(const Config& config) {
  http::ServerLimits limits;
  // The largest upload a route accepts (a letter in base64 JSON); each route's own
  // limit is smaller or equal (Router::allow_body).
  limits.max_body_bytes = config.requests.letter_max_bytes * 2 + 1024 * 1024;
  limits.heavy_workers = static_cast<unsigned>(config.verification.workers);
  limits.behind_tls_proxy = config.behind_tls_proxy;
  limits.max_connections = static_cast<std::size_t>(config.max_connections);
  limits.max_connections_per_address = static_cast<std::size_t>(config.max_connections_per_address);
  limits.heavy_queue = static_cast<std::size_t>(config.verification.queue);
  limits.drain_notice = std::chrono::seconds(config.drain_notice_seconds);
  return limits;
}

void apply_log_level(const std::string& level) { spdlog::set_level(spdlog::level::from_str(level)); }

std::string url_of(bool tls, const std::string& host, unsigned short port) {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https" : "http") + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// /metrics on a listener of its own, on one thread, stopped when the portal stops.
class MetricsListener final {
 public:
  explicit MetricsListener(const std::string& address) : server_(router_, small_limits()) {
    add_metrics_route(router_);
    const auto [host, port] = http::parse_listen_address(address);
    std::cout << "metrics on " << url_of(false, host, server_.listen(host, port)) << "/metrics" << std::endl;
    thread_ = std::thread([this] { server_.run(1); });
  }
  ~MetricsListener() {
    server_.stop();
    thread_.join();
  }

 private:
  static http::ServerLimits small_limits() {
    http::ServerLimits limits;
    limits.max_connections = 64;
    limits.heavy_workers = 1;
    limits.heavy_queue = 1;
    return limits;
  }
  http::Router router_;
  http::HttpServer server_;
  std::thread thread_;
};

// SIGHUP (systemctl reload): re-reads lontar.toml and applies what can change while
// serving, the log level and the public checks' budget; an invalid file is reported and
// the running settings stay.
class ReloadOnHangup final {
 public:
  explicit ReloadOnHangup(Instance& instance) : instance_(instance), signals_(io_, SIGHUP) {
    wait();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ReloadOnHangup() {
    io_.stop();
    thread_.join();
  }

 private:
  void wait() {
    signals_.async_wait([this](const boost::system::error_code& ec, int) {
      if (ec) return;
      reload();
      wait();
    });
  }
  void reload() {
    try {
      const auto fresh = load_config(instance_.dir().config());
      apply_log_level(fresh.log_level);
      instance_.verification_budget().adjust(fresh.verification.per_address_per_minute, fresh.verification.at_once);
      spdlog::warn("configuration reloaded: log_level={} verification.per_address_per_minute={} "
                   "verification.at_once={} (other settings apply at the next start)",
                   fresh.log_level, fresh.verification.per_address_per_minute, fresh.verification.at_once);
    } catch (const std::exception& e) {
      spdlog::error("configuration not reloaded, the running settings stay: {}", e.what());
    }
  }
  Instance& instance_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::thread thread_;
};

void serve(const ServeOptions& options) {
  OpenOptions open;
  open.load_ca_key = true;
  open.ca_passphrase_file = options.ca.passphrase_file;
  open.store.on_commit = [](bool write, double seconds, const std::vector<std::string>& audited) {
    auto& m = metrics::Metrics::process();
    m.count_transaction(write, seconds);
    m.count_audited(audited);
  };
  auto instance = Instance::open(options.data, open);
  const auto& config = instance->config();
  if (!std::getenv("SPDLOG_LEVEL")) apply_log_level(config.log_level);
  ReloadOnHangup reload_on_hangup(*instance);
  const auto [host, port] = http::parse_listen_address(options.listen.empty() ? config.listen : options.listen);
  // Passwords and session cookies must not cross a network in clear: plain HTTP is
  // for loopback (a local demo, or a TLS-terminating proxy on the same host).
  if (!options.tls && !http::is_loopback(host) && !options.allow_plain_http)
    throw Error(ErrorKind::invalid_input, "plain_http_refused",
                "Refusing to serve plain HTTP on " + host +
                    ": pass --tls, or --allow-plain-http if a TLS-terminating proxy is in front.");
  http::Router router;
  http::HttpServer server(router, limits_for(config));
  add_public_routes(router, *instance, [&server] { return server.draining(); });
  // RA mode: status and timestamps are the upstream CA's, asked through this server.
  std::optional<StatusServices> status;
  if (config.ra_mode()) {
    add_upstream_routes(router, *instance);
  } else {
    status.emplace(*instance, StatusOptions{});
    status->add_routes(router);
    add_timestamp_routes(router, *instance);
  }
  add_cmp_routes(router, *instance);
  Portal portal(*instance);
  portal.add_routes(router);
  Api api(*instance);
  api.add_routes(router);
  BackgroundJobs jobs(*instance, BackgroundOptions{});
  // Each document's pages are drawn by a `lontar render-previews` child under limits.
  const auto& documents = config.documents;
  auto stop_previews = std::make_shared<std::atomic<bool>>(false);
  PreviewWorker previews(*instance, isolated_renderer({std::filesystem::read_symlink("/proc/self/exe"),
                                                       std::chrono::seconds(documents.preview_seconds),
                                                       documents.preview_memory_mib, stop_previews}));
  // Declared after the worker, so it runs first when the server returns: a child
  // still drawing is killed instead of waited for (its document is drawn next time).
  const SetOnExit stop_previews_on_exit{stop_previews};
  if (options.tls) {
    const auto key = instance->tls_key();
    server.use_tls(read_file(instance->dir().certificate("tls")) + read_file(instance->dir().certificate("issuing")),
                   key.get());
  }
  const auto bound = server.listen(host, port);
  MetricsSources sources(*instance, status ? &*status : nullptr, server);
  const auto metrics_address = options.metrics_listen.empty() ? config.metrics_listen : options.metrics_listen;
  std::optional<MetricsListener> metrics_listener;
  if (!metrics_address.empty()) metrics_listener.emplace(metrics_address);
  std::cout << "listening on " << url_of(options.tls, host, bound) << std::endl;
  server.run(std::max(2u, std::thread::hardware_concurrency()));
}
}  // namespace

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand("serve", "Run the portal, API and status services");
  command->add_option("--data", options->data, "Data folder")->required();
  options->ca.add_to(*command);
  command->add_option("--listen", options->listen, "HOST:PORT to listen on (default: from the configuration)");
  command->add_option("--metrics-listen", options->metrics_listen,
                      "HOST:PORT for GET /metrics (default: [server] metrics_listen; none when empty)");
  command->add_flag("--tls", options->tls, "Serve HTTPS with the TLS certificate from 'lontar init'");
  command->add_flag("--allow-plain-http", options->allow_plain_http,
                    "Serve plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)");
  command->callback([options] { serve(*options); });
}

}  // namespace lontar::cli
