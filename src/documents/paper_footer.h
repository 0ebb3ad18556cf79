#pragma once

#include <string>

#include "instance/instance.h"
#include "pdf/page_footer.h"

namespace lontar {

// The footer every page of a document signed here carries (unless the configuration
// turns it off), in the configured language: signed electronically with a certificate
// issued by this CA, provable by the QR code or by typing `code` at PUBLIC_URL/v, and
// the UU ITE line that makes the printout evidence.
pdf::PageFooter paper_footer(const Instance& instance, const std::string& code);

}  // namespace lontar
