#include "lock/api_call.h"

#include "lock/lock_tool.h"

namespace lontar::lock {

using nlohmann::json;

// The API answers errors as {"error": {"code", "message"}}; known codes get the
// tool's own sentence in the user's language.
[[noreturn]] void refuse(Lang lang, const HttpReply& reply) {
  auto body = json::parse(reply.body, nullptr, false);
  std::string code, message;
  if (body.is_object() && body.contains("error")) {
    code = body["error"].value("code", "");
    message = body["error"].value("message", "");
  }
  const auto known = say(lang, code);
  if (!code.empty() && known != code) throw Failure(known);
  throw Failure(say(lang, "server_error") + " (" + std::to_string(reply.status) + "): " +
                (message.empty() ? reply.body.substr(0, 200) : message));
}

json call(Lang lang, const HttpClient& client, const std::string& method, const std::string& target,
          const std::string& body, const std::map<std::string, std::string>& headers) {
  HttpReply reply;
  try {
    reply = client.send(method, target, body, headers);
  } catch (const TrustError& e) {
    throw Failure(say(lang, "untrusted") + " " + e.what());
  } catch (const ConnectionError& e) {
    throw Failure(say(lang, "unreachable") + ": " + e.what());
  }
  if (reply.status >= 400) refuse(lang, reply);
  auto parsed = json::parse(reply.body, nullptr, false);
  if (parsed.is_discarded()) throw Failure(say(lang, "server_error") + ": not JSON");
  return parsed;
}

std::string fetch_binary(Lang lang, const HttpClient& client, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& content_type, const std::string& expected_type) {
  HttpReply reply;
  try {
    reply = client.send(method, target, body, content_type.empty() ? std::map<std::string, std::string>{}
                                                                    : std::map<std::string, std::string>{{"Content-Type", content_type}});
  } catch (const TrustError& e) {
    throw Failure(say(lang, "untrusted") + " " + e.what());
  } catch (const ConnectionError& e) {
    throw Failure(say(lang, "unreachable") + ": " + e.what());
  }
  if (reply.status >= 400) refuse(lang, reply);
  if (reply.status != 200 || reply.content_type != expected_type)
    throw Failure(say(lang, "server_error") + " (" + std::to_string(reply.status) + "): " + target + " answered " +
                  reply.content_type);
  return reply.body;
}

}  // namespace lontar::lock
