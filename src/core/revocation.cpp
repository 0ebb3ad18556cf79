#include "core/revocation.h"

#include <array>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace lontar {

namespace {
constexpr std::array<std::pair<RevocationReason, const char*>, 7> kReasonNames{{
    {RevocationReason::unspecified, "unspecified"},
    {RevocationReason::key_compromise, "keyCompromise"},
    {RevocationReason::ca_compromise, "cACompromise"},
    {RevocationReason::affiliation_changed, "affiliationChanged"},
    {RevocationReason::superseded, "superseded"},
    {RevocationReason::cessation_of_operation, "cessationOfOperation"},
    {RevocationReason::privilege_withdrawn, "privilegeWithdrawn"},
}};

std::string normalise(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != '-' && c != '_' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

const char* to_string(RevocationReason reason) noexcept {
  for (const auto& [r, name] : kReasonNames)
    if (r == reason) return name;
  return "unspecified";
}

std::optional<RevocationReason> parse_revocation_reason(std::string_view text) noexcept {
  for (const auto& [r, name] : kReasonNames)  // the stored spelling: no allocation on the CRL path
    if (text == name) return r;
  const auto wanted = normalise(text);
  for (const auto& [r, name] : kReasonNames)
    if (normalise(name) == wanted) return r;
  return std::nullopt;
}

CertificateRecord RevocationService::revoke(const RevokeCommand& command) const {
  if (command.reason == RevocationReason::ca_compromise && !command.requester_is_admin)
    throw Error(ErrorKind::forbidden, "reason_not_allowed", "Only an administrator can give the reason cACompromise.");
  const auto now = to_unix(clock_.now());
  if (command.invalidity_date && *command.invalidity_date > now)
    throw Error(ErrorKind::invalid_input, "invalidity_in_future", "The invalidity date cannot be in the future.");
  CertificateRecord record;
  store_.write([&](StoreTransaction& tx) {
    auto found = tx.certificates().find_by_serial(command.serial_hex);
    // A holder asking about someone else's certificate learns nothing more than "not found".
    if (!found || (!command.requester_is_admin && found->account_id != command.requester_account_id.value_or(-1)))
      throw Error(ErrorKind::not_found, "unknown_certificate",
                  "No certificate has the serial " + command.serial_hex + ".");
    if (found->status != CertificateStatus::valid)
      throw Error(ErrorKind::conflict, "already_revoked",
                  "Certificate " + command.serial_hex + " is already " + to_string(found->status) + " (" +
                      found->revocation_reason + "); revocation is final.");
    const auto invalidity = command.invalidity_date.value_or(0);
    if (!tx.certificates().revoke(command.serial_hex, to_string(command.reason), now, invalidity))
      throw Error(ErrorKind::conflict, "already_revoked",
                  "Certificate " + command.serial_hex + " was revoked by someone else a moment ago.");
    tx.ca_state().bump_status_version();
    nlohmann::json details{{"reason", to_string(command.reason)}};
    if (command.invalidity_date) details["invalidity_date"] = invalidity;
    tx.audit().append({command.actor, "certificate.revoked", "certificate:" + command.serial_hex, details.dump()}, now);
    if (tell_upstream_) tx.upstream().queue_revocation(command.serial_hex, reason_code(command.reason), now);
    record = *found;
    record.status = CertificateStatus::revoked;
    record.revoked_at = now;
    record.revocation_reason = to_string(command.reason);
  });
  return record;
}

}  // namespace lontar
