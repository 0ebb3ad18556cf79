#pragma once

// Helpers shared by the API's files (not part of any public interface).

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/encoding.h"
#include "core/error.h"
#include "core/utf8.h"
#include "http/message.h"

namespace lontar::api_support {
using nlohmann::json;

// Every key and string of a body is held to the forms' rule (the parser refuses malformed
// UTF-8, but "\u0000" decodes to a NUL byte). A loop, not recursion: the body's nesting
// depth is the sender's choice.
inline void require_text_throughout(const json& root) {
  std::vector<const json*> pending{&root};
  while (!pending.empty()) {
    const json* value = pending.back();
    pending.pop_back();
    if (value->is_string()) require_storable_text(value->get_ref<const std::string&>());
    if (value->is_object())
      for (auto item = value->begin(); item != value->end(); ++item) {
        require_storable_text(item.key());
        pending.push_back(&item.value());
      }
    if (value->is_array())
      for (const auto& item : *value) pending.push_back(&item);
  }
}

inline json parse_body(const http::HttpRequest& request) {
  if (request.header("content-type").rfind("application/json", 0) != 0)
    throw Error(ErrorKind::invalid_input, "json_required", "Send the body as application/json.");
  auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw Error(ErrorKind::invalid_input, "bad_json", "The body is not a JSON object.");
  require_text_throughout(body);
  return body;
}

inline std::string text_field(const json& body, const char* name) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_string())
    throw Error(ErrorKind::invalid_input, "missing_field", std::string("The field '") + name + "' (a string) is missing.");
  return found->get<std::string>();
}

inline http::HttpResponse json_response(int status, const json& body) {
  auto response = http::HttpResponse::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}


// An optional string field; empty when absent.
inline std::string optional_text(const json& body, const char* name) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return {};
  if (!found->is_string())
    throw Error(ErrorKind::invalid_input, "bad_field", std::string("The field '") + name + "' must be a string.");
  return found->get<std::string>();
}

// An optional true/false field; `otherwise` when absent.
inline bool optional_flag(const json& body, const char* name, bool otherwise) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return otherwise;
  if (!found->is_boolean())
    throw Error(ErrorKind::invalid_input, "bad_field", std::string("The field '") + name + "' must be true or false.");
  return found->get<bool>();
}

// An optional whole-number field within [low, high]; `otherwise` when absent.
inline int optional_number(const json& body, const char* name, int otherwise, int low, int high) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return otherwise;
  if (!found->is_number_integer() || found->get<long long>() < low || found->get<long long>() > high)
    throw Error(ErrorKind::invalid_input, "bad_field",
                std::string("The field '") + name + "' must be a whole number from " + std::to_string(low) + " to " +
                    std::to_string(high) + ".");
  return static_cast<int>(found->get<long long>());
}

// The optional recommendation letter of a JSON body (base64 in letter_pdf_base64).
inline std::string decode_letter(const json& body) {
  const auto text = optional_text(body, "letter_pdf_base64");
  if (text.empty()) return {};
  const auto bytes = from_base64(text);
  if (!bytes) throw Error(ErrorKind::invalid_input, "bad_base64", "letter_pdf_base64 is not valid base64.");
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace lontar::api_support
