#pragma once

#include <span>
#include <string_view>

#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

// A read-only BIO over several pieces of memory read one after the other, without
// joining them: a PDF signature signs the file but the hole of its value, and a copy
// of a 4 MB file per signature would cost more than the check itself. The pieces must
// outlive the BIO.
OsslPtr<BIO> parts_bio(std::span<const std::string_view> parts);

}  // namespace lontar::crypto
