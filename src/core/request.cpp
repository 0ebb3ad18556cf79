#include "core/request.h"

#include <charconv>

#include "core/error.h"

#include <array>

namespace lontar {

namespace {
constexpr std::array<std::pair<RequestState, const char*>, 8> kStateNames{{
    {RequestState::draft, "draft"},
    {RequestState::token_issued, "token_issued"},
    {RequestState::submitted, "submitted"},
    {RequestState::approved, "approved"},
    {RequestState::issued, "issued"},
    {RequestState::rejected, "rejected"},
    {RequestState::cancelled, "cancelled"},
    {RequestState::expired, "expired"},
}};
}  // namespace

const char* to_string(RequestState state) noexcept {
  for (const auto& [s, name] : kStateNames)
    if (s == state) return name;
  return "draft";
}

std::optional<RequestState> parse_request_state(std::string_view text) noexcept {
  for (const auto& [s, name] : kStateNames)
    if (text == name) return s;
  return std::nullopt;
}

const char* to_string(RequestKind kind) noexcept {
  return kind == RequestKind::renewal ? "renewal" : "new";
}

std::optional<RequestKind> parse_request_kind(std::string_view text) noexcept {
  if (text == "new") return RequestKind::new_certificate;
  if (text == "renewal") return RequestKind::renewal;
  return std::nullopt;
}

bool can_transition(RequestState from, RequestState to) noexcept {
  using S = RequestState;
  switch (from) {
    case S::draft: return to == S::token_issued || to == S::submitted || to == S::cancelled;
    case S::token_issued: return to == S::submitted || to == S::cancelled || to == S::expired;
    case S::submitted: return to == S::approved || to == S::rejected || to == S::cancelled;
    // Rejected only by the CA itself, when the approved request cannot be issued.
    case S::approved: return to == S::issued || to == S::rejected;
    case S::issued:
    case S::rejected:
    case S::cancelled:
    case S::expired: return false;
  }
  return false;
}

bool is_open(RequestState state) noexcept {
  return state == RequestState::draft || state == RequestState::token_issued ||
         state == RequestState::submitted || state == RequestState::approved;
}

std::int64_t parse_request_id(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || text.size() > 18 || problem != std::errc() || end != text.data() + text.size() || id <= 0 ||
      text.front() == '+' || text.front() == '-')
    throw Error(ErrorKind::not_found, "unknown_request", "You have no request with that number.");
  return id;
}

}  // namespace lontar
