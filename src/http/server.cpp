#include "http/server.h"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "http/work_pool.h"
#include "metrics/metrics.h"

namespace lontar::http {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct Shared {
  Shared(const Router& r, ServerLimits l)
      : router(r), limits(l), anonymous(l.heavy_workers, l.heavy_queue), signed_in(l.heavy_workers, l.heavy_queue) {}
  const Router& router;
  ServerLimits limits;
  std::atomic<std::size_t> connections{0};
  // Connections per client address; only addresses with a connection have an entry.
  std::mutex addresses_mutex;
  std::unordered_map<std::string, std::size_t> per_address;
  bool tls = false;
  bool under_pressure() const {
    return static_cast<double>(connections.load()) >= limits.pressure_share * static_cast<double>(limits.max_connections);
  }
  // Takes a slot for `address`, or says there is none (the total or the address's cap).
  bool admit(const std::string& address) {
    if (connections.load() >= limits.max_connections) return false;
    std::lock_guard lock(addresses_mutex);
    auto& count = per_address[address];
    if (count >= limits.max_connections_per_address) return false;
    ++count;
    ++connections;
    return true;
  }
  void leave(const std::string& address) {
    std::lock_guard lock(addresses_mutex);
    if (const auto found = per_address.find(address); found != per_address.end() && --found->second == 0)
      per_address.erase(found);
  }
  // What clients see: HTTPS here, or through a TLS-terminating proxy.
  bool https() const { return tls || limits.behind_tls_proxy; }
  // Set on SIGTERM: /healthz says so while requests are still served (drain_notice).
  std::atomic<bool> announcing{false};
  // Set after the notice: connections finish the response in hand and close; the last
  // one to go calls on_drained.
  std::atomic<bool> draining{false};
  std::function<void()> on_drained;
  // Last, so they are gone first: work they drop still finds the members above.
  WorkPool anonymous;
  WorkPool signed_in;
};

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

HttpRequest to_request(const beast::http::request<beast::http::string_body>& in, const std::string& remote,
                       bool secure) {
  HttpRequest out;
  out.secure = secure;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  const auto question = out.target.find('?');
  out.path = out.target.substr(0, question);
  if (question != std::string::npos) out.query = out.target.substr(question + 1);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = in.body();
  out.remote_address = remote;
  return out;
}

// One connection, plain or TLS; the same code serves both.
template <class Stream>
class Session final : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Context>
  Session(tcp::socket socket, std::string remote, Shared& shared, Context&... context)
      : stream_(std::move(socket), context...), shared_(shared), remote_(std::move(remote)) {}
  ~Session() {
    shared_.leave(remote_);
    if (--shared_.connections == 0 && shared_.draining) shared_.on_drained();
  }

  void start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(shared_.limits.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->read();  // a failed handshake just ends the connection
                              });
    } else {
      asio::dispatch(stream_.get_executor(),
                     beast::bind_front_handler(&Session::read, this->shared_from_this()));
    }
  }

 private:
  void read() {
    if (shared_.draining) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.limits.max_header_bytes));
    parser_->body_limit(shared_.limits.max_body_bytes);
    // Under pressure a slot is held only as long as a client needs to send a request.
    const auto wait = shared_.under_pressure() ? shared_.limits.pressure_timeout
                      : first_                 ? shared_.limits.read_timeout
                                               : shared_.limits.idle_timeout;
    beast::get_lowest_layer(stream_).expires_after(wait);
    first_ = false;
    // The header first: the route decides how large a body it accepts.
    beast::http::async_read_header(stream_, buffer_, *parser_,
                                   beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t bytes) {
    if (ec) return on_read(ec, bytes);
    const auto target = parser_->get().target();
    const std::string path(target.substr(0, target.find('?')));
    const auto limit = std::min<std::uint64_t>(shared_.router.body_limit(path), shared_.limits.max_body_bytes);
    // Beast checks a declared Content-Length against the limit while parsing the
    // header, before the route was known; check it here, and bound chunked bodies.
    if (const auto declared = parser_->content_length(); declared && *declared > limit)
      return reply_error(413, "The request body is larger than this address accepts.");
    parser_->body_limit(limit);
    // A client that asks first (curl does for bodies over 1 MiB) is told to go on at
    // once; otherwise it waits a second before sending the body.
    if (beast::iequals(parser_->get()[beast::http::field::expect], "100-continue")) {
      auto go_on = std::make_shared<beast::http::response<beast::http::empty_body>>(beast::http::status::continue_,
                                                                                   parser_->get().version());
      beast::http::async_write(stream_, *go_on,
                               [self = this->shared_from_this(), go_on](beast::error_code ec, std::size_t) {
                                 if (ec) return self->close();
                                 self->read_body();
                               });
      return;
    }
    read_body();
  }

  void read_body() {
    beast::http::async_read(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == beast::http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof) {
      return close();
    }
    if (ec == beast::http::error::body_limit) {
      return reply_error(413, "The request body is larger than this address accepts.");
    }
    if (ec == beast::http::error::header_limit) {
      return reply_error(431, "The request headers are too large.");
    }
    if (ec) {
      return reply_error(400, "The request is not valid HTTP/1.1.");
    }
    const auto& raw = parser_->get();
    keep_alive_ = raw.keep_alive();
    const auto started = std::chrono::steady_clock::now();
    auto request = std::make_shared<HttpRequest>(to_request(raw, remote_, shared_.https()));
    const auto version = raw.version();
    const auto lane = shared_.router.lane(request->method, request->path);
    if (lane == Router::Lane::none) return respond(*request, shared_.router.dispatch(*request), version, started);
    // Heavy work runs on its lane's pool; the answer is written from this connection's strand.
    auto& pool = lane == Router::Lane::anonymous ? shared_.anonymous : shared_.signed_in;
    const bool taken = pool.try_submit([self = this->shared_from_this(), request, version, started] {
      auto response = std::make_shared<HttpResponse>(self->shared_.router.dispatch(*request));
      asio::post(self->stream_.get_executor(), [self, request, response, version, started] {
        self->respond(*request, std::move(*response), version, started);
      });
    });
    if (!taken) {
      metrics::Metrics::process().count_pool_refusal(lane == Router::Lane::anonymous ? "anonymous" : "signed_in");
      auto busy = HttpResponse::json(
          503, R"({"error":{"code":"busy","message":"Too many documents are being checked; try again in a few seconds."}})");
      busy.headers.emplace_back("Retry-After", "5");
      respond(*request, std::move(busy), version, started);
    }
  }

  void respond(const HttpRequest& request, HttpResponse response, unsigned version,
               std::chrono::steady_clock::time_point started) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    // The route's pattern, not the path: a path may carry a NIK or a document code, and
    // the query string a token. Every value is escaped by the JSON writer.
    const nlohmann::json line{{"remote", remote_},
                              {"method", request.method},
                              {"route", shared_.router.pattern_for(request.path)},
                              {"status", response.status},
                              {"bytes", response.body.size()},
                              {"us", micros}};
    spdlog::info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    metrics::Metrics::process().count_http(request.method, line["route"].get_ref<const std::string&>(), response.status,
                                           static_cast<double>(micros) / 1e6);
    send(std::move(response), version, request.method == "HEAD");
  }

  void reply_error(int status, const std::string& message) {
    keep_alive_ = false;
    send(HttpResponse::json(status, R"({"error":{"code":"bad_request","message":")" + message + R"("}})"), 11, false);
  }

  void send(HttpResponse response, unsigned version, bool head_only) {
    auto out = std::make_shared<beast::http::response<beast::http::string_body>>(
        static_cast<beast::http::status>(response.status), version);
    out->set(beast::http::field::server, "Lontar");
    out->set(beast::http::field::content_type, response.content_type);
    out->set("X-Content-Type-Options", "nosniff");
    const bool own_policy = std::any_of(response.headers.begin(), response.headers.end(),
                                        [](const auto& h) { return h.first == "Content-Security-Policy"; });
    if (!own_policy)
      out->set("Content-Security-Policy",
               "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    out->set("Referrer-Policy", "no-referrer");
    if (shared_.https()) out->set("Strict-Transport-Security", "max-age=31536000");
    for (auto& [name, value] : response.headers) out->insert(name, value);  // Set-Cookie may repeat
    const auto length = response.body.size();
    if (!head_only) out->body() = std::move(response.body);
    out->content_length(length);
    out->keep_alive(keep_alive_);
    response_ = out;
    beast::get_lowest_layer(stream_).expires_after(shared_.limits.read_timeout);
    beast::http::async_write(stream_, *out, beast::bind_front_handler(&Session::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec || !keep_alive_ || shared_.draining) return close();
    read();
  }

  void close() {
    beast::error_code ignored;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds{5});
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;
  std::string remote_;
  bool keep_alive_ = false;
  bool first_ = true;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& router, ServerLimits limits)
      : shared(router, limits), acceptor(io), signals(io, SIGINT, SIGTERM), drain_deadline(io) {
    shared.on_drained = [this] { asio::post(io, [this] { io.stop(); }); };
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        beast::error_code failed;
        const auto endpoint = socket.remote_endpoint(failed);
        auto remote = failed ? std::string("unknown") : endpoint.address().to_string();
        if (!shared.admit(remote)) {
          beast::error_code ignored;
          socket.close(ignored);  // over a limit: refuse rather than queue
        } else if (tls) {
          std::make_shared<Session<TlsStream>>(std::move(socket), std::move(remote), shared, *tls)->start();
        } else {
          std::make_shared<Session<PlainStream>>(std::move(socket), std::move(remote), shared)->start();
        }
      }
      accept();
    });
  }

  // After the notice: no new connections; what is still open when the drain timeout ends
  // (an idle keep-alive client) is cut.
  void drain() {
    beast::error_code ignored;
    acceptor.close(ignored);
    shared.draining = true;
    if (shared.connections == 0) return io.stop();
    drain_deadline.expires_after(shared.limits.drain_timeout);
    drain_deadline.async_wait([this](beast::error_code ec) {
      if (!ec) io.stop();
    });
  }

  asio::io_context io;
  Shared shared;
  std::unique_ptr<asio::ssl::context> tls;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_deadline;
};

HttpServer::HttpServer(const Router& router, ServerLimits limits) : impl_(std::make_unique<Impl>(router, limits)) {}
HttpServer::~HttpServer() = default;
bool HttpServer::draining() const { return impl_->shared.announcing; }
std::pair<WorkPool::Load, WorkPool::Load> HttpServer::pool_load() const {
  return {impl_->shared.anonymous.load(), impl_->shared.signed_in.load()};
}

void HttpServer::use_tls(const std::string& certificate_chain_pem, evp_pkey_st* key) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                       asio::ssl::context::single_dh_use);
  beast::error_code ec;
  context->use_certificate_chain(asio::buffer(certificate_chain_pem), ec);
  if (ec || SSL_CTX_use_PrivateKey(context->native_handle(), key) != 1 ||
      SSL_CTX_check_private_key(context->native_handle()) != 1)
    throw Error(ErrorKind::invalid_input, "bad_tls_key", "The TLS certificate and key do not match or cannot be read.");
  impl_->tls = std::move(context);
  impl_->shared.tls = true;
}

unsigned short HttpServer::listen(const std::string& host, unsigned short port) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw Error(ErrorKind::invalid_input, "bad_listen", "'" + host + "' is not an IP address to listen on.");
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw Error(ErrorKind::unavailable, "listen_failed",
                "Cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  return acceptor.local_endpoint().port();
}

void HttpServer::run(unsigned threads) {
  impl_->signals.async_wait([this](beast::error_code, int) { stop(); });
  impl_->accept();
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < threads; ++i) workers.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& worker : workers) worker.join();
}

// Graceful: first the notice (still serving, /healthz says "draining"), then the drain.
void HttpServer::stop() {
  asio::post(impl_->io, [this] {
    if (impl_->shared.announcing.exchange(true)) return;
    beast::error_code ignored;
    impl_->signals.cancel(ignored);
    impl_->drain_deadline.expires_after(impl_->shared.limits.drain_notice);
    impl_->drain_deadline.async_wait([this](beast::error_code ec) {
      if (!ec) impl_->drain();
    });
  });
}

}  // namespace lontar::http
