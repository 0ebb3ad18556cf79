#pragma once

#include <map>
#include <memory>
#include <string>

namespace lontar::lock {

struct ServerAddress {
  bool tls = true;
  std::string host;
  std::string port;

  // "https://host[:port]" or "http://host[:port]"; throws std::invalid_argument.
  static ServerAddress parse(const std::string& url);
  std::string origin() const;
};

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Thrown when the server cannot be reached or the connection breaks; the request may
// or may not have arrived.
struct ConnectionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Thrown when the server's certificate is not trusted.
struct TrustError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A small HTTPS client (Boost.Beast) for the portal's API. The server's certificate
// is verified against the system store or `ca_file`, host name included; plain HTTP
// only when `allow_plain_http` (loopback tests).
class HttpClient final {
 public:
  HttpClient(ServerAddress server, std::string ca_file, bool allow_plain_http);
  HttpReply send(const std::string& method, const std::string& target, const std::string& body,
                 const std::map<std::string, std::string>& headers = {}) const;
  const ServerAddress& server() const { return server_; }

 private:
  ServerAddress server_;
  std::string ca_file_;
};

}  // namespace lontar::lock
