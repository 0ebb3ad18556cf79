#include "crypto/ca_urls.h"

#include "core/error.h"

namespace lontar::crypto {

CaUrls CaUrls::under(std::string public_url) {
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  const bool scheme_ok = public_url.starts_with("http://") || public_url.starts_with("https://");
  // The URLs go into extension strings in OpenSSL's configuration syntax, where a
  // comma would start a new value.
  if (!scheme_ok || public_url.find_first_of(", \t\r\n\"") != std::string::npos)
    throw Error(ErrorKind::invalid_input, "bad_public_url",
                "The public URL must start with http:// or https:// and contain no spaces or commas (got '" +
                    public_url + "').");
  CaUrls urls;
  urls.crl = public_url + "/crl/issuing.crl";
  urls.ocsp = public_url + "/ocsp";
  urls.issuer = public_url + "/ca/issuing.crt";
  urls.root_issuer = public_url + "/ca/root.crt";
  urls.root_crl = public_url + "/crl/root.crl";
  return urls;
}

}  // namespace lontar::crypto
