#include <boost/asio/ip/address.hpp>

#include <charconv>

#include "core/error.h"
#include "http/server.h"

namespace lontar::http {

bool is_loopback(const std::string& host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

std::pair<std::string, unsigned short> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(text.data() + colon + 1, text.data() + text.size(), port).ec != std::errc{} || port > 65535)
    throw Error(ErrorKind::invalid_input, "bad_listen", "The listen address must be HOST:PORT (got '" + text + "').");
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, static_cast<unsigned short>(port)};
}

}  // namespace lontar::http
