#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lontar::crypto {

struct HttpFetch {
  std::string url;                    // http:// or https:// (the system's trust store)
  std::string content_type;           // the body's; empty: a GET
  std::string body;
  std::string expected_content_type;  // the answer must say this
  std::size_t max_bytes = 1 << 20;
  int timeout_seconds = 20;
};

// One exchange with a CA service (CMP, OCSP, CRL, timestamps) through OpenSSL's HTTP
// client: the answer's body, which must be one DER object. Throws Error(unavailable, "upstream_unreachable") when it
// cannot be reached, answers with another status or content type, or says too much.
std::string fetch(const HttpFetch& request);

}  // namespace lontar::crypto
