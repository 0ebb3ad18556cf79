#pragma once

#include <string>
#include <string_view>

#include "core/validation_data.h"

namespace lontar::pdf {

// Adds `data` to the document security store (/DSS in the catalog, ETSI EN 319 142-1
// §5.4.2: /Certs, /OCSPs, /CRLs arrays of streams) in one more incremental update, so
// the signatures can be validated offline (PAdES B-LT). What an earlier store already
// holds is kept; bytes it already holds are not added twice.
std::string add_validation_data(std::string_view pdf, const ValidationData& data);

}  // namespace lontar::pdf
