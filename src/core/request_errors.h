#pragma once

#include "core/error.h"

namespace lontar {

// Someone else's request is answered exactly like one that does not exist.
inline Error unknown_request() {
  return Error(ErrorKind::not_found, "unknown_request", "You have no request with that number.");
}

// Wrong, foreign and never-issued tokens get the same answer.
inline Error unknown_token() {
  return Error(ErrorKind::not_found, "token_unknown",
               "This CSR token is not valid. Check that you copied it completely, or request a new one in the "
               "portal.");
}

}  // namespace lontar
