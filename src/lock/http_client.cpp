#include "lock/http_client.h"

#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <stdexcept>

namespace lontar::lock {

namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTimeout = std::chrono::seconds(30);

template <class Stream>
HttpReply exchange(Stream& stream, http::request<http::string_body>& request) {
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(32 * 1024 * 1024);
  http::read(stream, buffer, parser);
  const auto& response = parser.get();
  return {static_cast<int>(response.result_int()), std::string(response[http::field::content_type]),
          response.body()};
}
}  // namespace

ServerAddress ServerAddress::parse(const std::string& url) {
  ServerAddress a;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    a.tls = false;
    rest = url.substr(7);
  } else {
    throw std::invalid_argument("the server address must start with https://");
  }
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) throw std::invalid_argument("give the server address without a path");
  const auto colon = rest.rfind(':');
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string::npos) throw std::invalid_argument("unbalanced [ in the server address");
    a.host = rest.substr(1, close - 1);
    a.port = close + 1 < rest.size() && rest[close + 1] == ':' ? rest.substr(close + 2) : "";
  } else if (colon != std::string::npos) {
    a.host = rest.substr(0, colon);
    a.port = rest.substr(colon + 1);
  } else {
    a.host = rest;
  }
  if (a.port.empty()) a.port = a.tls ? "443" : "80";
  if (a.host.empty()) throw std::invalid_argument("the server address has no host");
  return a;
}

std::string ServerAddress::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + port;
}

HttpClient::HttpClient(ServerAddress server, std::string ca_file, bool allow_plain_http)
    : server_(std::move(server)), ca_file_(std::move(ca_file)) {
  if (!server_.tls && !allow_plain_http)
    throw TrustError("plain http:// is refused; use https:// (or --insecure-http for a local test server)");
}

HttpReply HttpClient::send(const std::string& method, const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers) const {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, server_.host);
  request.set(http::field::user_agent, "lontar-lock/1");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty()) {
    if (!headers.count("Content-Type")) request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(server_.host, server_.port);
    if (!server_.tls) {
      beast::tcp_stream stream(io);
      stream.expires_after(kTimeout);
      stream.connect(endpoints);
      return exchange(stream, request);
    }
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    if (ca_file_.empty())
      context.set_default_verify_paths();
    else
      context.load_verify_file(ca_file_);
    context.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    stream.set_verify_callback(asio::ssl::host_name_verification(server_.host));
    SSL_set_tlsext_host_name(stream.native_handle(), server_.host.c_str());
    beast::get_lowest_layer(stream).expires_after(kTimeout);
    beast::get_lowest_layer(stream).connect(endpoints);
    try {
      stream.handshake(asio::ssl::stream_base::client);
    } catch (const boost::system::system_error& e) {
      throw TrustError("the server's certificate is not trusted (" + e.code().message() +
                       "); give the institution's CA certificate with --ca-file");
    }
    return exchange(stream, request);
  } catch (const TrustError&) {
    throw;
  } catch (const boost::system::system_error& e) {
    throw ConnectionError(e.code().message());
  }
}

}  // namespace lontar::lock
