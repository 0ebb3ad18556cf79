#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "lock/http_client.h"
#include "lock/messages.h"

namespace lontar::lock {

// Turns a refused API call into a Failure: known error codes get the tool's own
// sentence in the user's language, others the server's message.
[[noreturn]] void refuse(Lang lang, const HttpReply& reply);

// One API call answered with JSON; connection and trust problems and refusals become
// Failures with a sentence for the user.
nlohmann::json call(Lang lang, const HttpClient& client, const std::string& method, const std::string& target,
                    const std::string& body, const std::map<std::string, std::string>& headers = {});

// One call whose answer is binary (a timestamp, an OCSP answer, a CRL): the body when
// the status is 200 and the content type is `expected_type`.
std::string fetch_binary(Lang lang, const HttpClient& client, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& content_type, const std::string& expected_type);

}  // namespace lontar::lock
