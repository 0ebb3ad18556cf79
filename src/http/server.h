#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/router.h"
#include "http/work_pool.h"

struct evp_pkey_st;

namespace lontar::http {

struct ServerLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds read_timeout{15};   // a whole request must arrive within this
  std::chrono::seconds idle_timeout{60};   // keep-alive connections close after this
  std::size_t max_connections = 1024;
  // One client address may hold at most this many connections: a flood of idle or
  // reconnecting sockets from one place cannot take the slots everyone else needs.
  std::size_t max_connections_per_address = 32;
  // Past this share of max_connections the server is under pressure: a new request
  // must arrive, and an idle keep-alive connection is closed, within pressure_timeout.
  double pressure_share = 0.5;
  std::chrono::seconds pressure_timeout{3};
  // On SIGTERM: how long the server keeps serving while /healthz says "draining" (a
  // balancer's health checks take it out meanwhile), then how long responses in
  // progress may take once it accepts no more connections.
  std::chrono::seconds drain_notice{0};
  std::chrono::seconds drain_timeout{5};
  // The clients reach the server through a TLS-terminating proxy: treat every request
  // as HTTPS (Secure cookies, HSTS) although this hop is plain HTTP.
  bool behind_tls_proxy = false;
  unsigned heavy_workers = 2;              // threads for routes the router runs apart, per lane
  std::size_t heavy_queue = 8;             // how many of those may wait per lane; beyond, 503
};

// An asynchronous HTTP/1.1 server on Boost.Beast: keep-alive, size limits and
// timeouts per connection, a bounded number of connections, clean stop.
class HttpServer final {
 public:
  HttpServer(const Router& router, ServerLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serve HTTPS (TLS 1.2+) with this certificate chain (PEM, leaf first) and key.
  void use_tls(const std::string& certificate_chain_pem, evp_pkey_st* key);
  // Binds (port 0 picks a free port) and returns the bound port.
  unsigned short listen(const std::string& host, unsigned short port);
  // Serves on `threads` threads until stop() or SIGINT/SIGTERM.
  void run(unsigned threads);
  void stop();
  // True from SIGTERM (or stop()) until the server has stopped: /healthz says not ready.
  bool draining() const;
  // The load of the heavy-work pools: the anonymous lane's, then the signed-in lane's.
  std::pair<WorkPool::Load, WorkPool::Load> pool_load() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8 and ::1.
bool is_loopback(const std::string& host);

// "HOST:PORT" → (host, port); throws Error(invalid_input).
std::pair<std::string, unsigned short> parse_listen_address(const std::string& text);

}  // namespace lontar::http
