#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "instance/instance.h"
#include "api/api.h"
#include "cmp/cmp_route.h"
#include "jobs/background_jobs.h"
#include "jobs/preview_process.h"
#include "jobs/preview_worker.h"
#include "portal/portal.h"
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
}  // namespace

void add_serve_command(CLI::App& app) {
  struct Options {
    std::filesystem::path data;
    CaKeyOption ca;
    std::string listen;
    bool allow_plain_http = false;
    bool tls = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("serve", "Run the portal, API and status services");
  command->add_option("--data", options->data, "Data folder")->required();
  options->ca.add_to(*command);
  command->add_option("--listen", options->listen, "HOST:PORT to listen on (default: from the configuration)");
  command->add_flag("--tls", options->tls, "Serve HTTPS with the TLS certificate from 'lontar init'");
  command->add_flag("--allow-plain-http", options->allow_plain_http,
                    "Serve plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)");
  command->callback([options] {
    OpenOptions open;
    open.load_ca_key = true;
    open.ca_passphrase_file = options->ca.passphrase_file;
    auto instance = Instance::open(options->data, open);
    const auto [host, port] =
        http::parse_listen_address(options->listen.empty() ? instance->config().listen : options->listen);
    // Passwords and session cookies must not cross a network in clear: plain HTTP is
    // for loopback (a local demo, or a TLS-terminating proxy on the same host).
    if (!options->tls && !http::is_loopback(host) && !options->allow_plain_http)
      throw Error(ErrorKind::invalid_input, "plain_http_refused",
                  "Refusing to serve plain HTTP on " + host +
                      ": pass --tls, or --allow-plain-http if a TLS-terminating proxy is in front.");
    http::Router router;
    add_public_routes(router, *instance);
    // RA mode: status and timestamps are the upstream CA's, asked through this server.
    std::optional<StatusServices> status;
    if (instance->config().ra_mode()) {
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
    http::ServerLimits limits;
    // The largest upload a route accepts (a letter in base64 JSON); each route's own
    // limit is smaller or equal (Router::allow_body).
    limits.max_body_bytes = instance->config().requests.letter_max_bytes * 2 + 1024 * 1024;
    limits.heavy_workers = static_cast<unsigned>(instance->config().verification.workers);
    limits.behind_tls_proxy = instance->config().behind_tls_proxy;
    limits.max_connections = static_cast<std::size_t>(instance->config().max_connections);
    limits.max_connections_per_address = static_cast<std::size_t>(instance->config().max_connections_per_address);
    limits.heavy_queue = static_cast<std::size_t>(instance->config().verification.queue);
    BackgroundJobs jobs(*instance, BackgroundOptions{});
    // Each document's pages are drawn by a `lontar render-previews` child under limits.
    const auto& documents = instance->config().documents;
    auto stop_previews = std::make_shared<std::atomic<bool>>(false);
    PreviewWorker previews(*instance, isolated_renderer({std::filesystem::read_symlink("/proc/self/exe"),
                                                         std::chrono::seconds(documents.preview_seconds),
                                                         documents.preview_memory_mib, stop_previews}));
    // Declared after the worker, so it runs first when the server returns: a child
    // still drawing is killed instead of waited for (its document is drawn next time).
    const SetOnExit stop_previews_on_exit{stop_previews};
    http::HttpServer server(router, limits);
    if (options->tls) {
      const auto key = instance->tls_key();
      server.use_tls(read_file(instance->dir().certificate("tls")) + read_file(instance->dir().certificate("issuing")),
                     key.get());
    }
    const auto bound = server.listen(host, port);
    const bool v6 = host.find(':') != std::string::npos;
    std::cout << "listening on " << (options->tls ? "https" : "http") << "://" << (v6 ? "[" + host + "]" : host) << ":" << bound << std::endl;
    server.run(std::max(2u, std::thread::hardware_concurrency()));
  });
}

}  // namespace lontar::cli
