#pragma once

#include <string>

#include "core/certificate_record.h"
#include "http/message.h"

namespace lontar {

// A certificate as a file to save: `format` pem, der (application/pkix-cert) or chain
// (the certificate and the CA chain, PEM). The portal's download and the API's answer
// alike. Throws invalid_input "bad_format" for anything else.
http::HttpResponse certificate_download(const CertificateRecord& record, const std::string& format,
                                        const std::string& chain_pem);

}  // namespace lontar
