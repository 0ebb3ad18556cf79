#include "web/certificate_download.h"

#include "core/error.h"
#include "crypto/certificate.h"

namespace lontar {

http::HttpResponse certificate_download(const CertificateRecord& record, const std::string& format,
                                        const std::string& chain_pem) {
  const auto& serial = record.serial_hex;
  http::HttpResponse response;
  if (format == "der") {
    response.content_type = "application/pkix-cert";
    response.body = crypto::Certificate::from_pem(record.pem).der();
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + serial + ".cer\"");
  } else if (format == "chain") {
    response.content_type = "application/x-pem-file";
    response.body = record.pem + chain_pem;
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + serial + "-chain.pem\"");
  } else if (format == "pem") {
    response.content_type = "application/x-pem-file";
    response.body = record.pem;
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + serial + ".pem\"");
  } else {
    throw Error(ErrorKind::invalid_input, "bad_format", "The format must be pem, der or chain.");
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace lontar
