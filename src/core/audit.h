#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lontar {

// One entry of the hash-chained audit trail. `hash` covers every other field,
// `prev_hash` included, so a changed, removed, inserted or reordered entry breaks
// the chain from that point on.
struct AuditEvent {
  std::int64_t seq = 0;
  std::int64_t at = 0;       // unix seconds
  std::string actor;         // "nik:…", "cli:operator", "system"
  std::string action;        // "certificate.issued", "account.created", …
  std::string object;        // "certificate:…", "request:…", "account:…"
  std::string details;       // compact JSON; never a secret
  std::string prev_hash;
  std::string hash;
};

// What the caller supplies; the store fills in seq, the hashes and time order.
struct AuditEntry {
  std::string actor;
  std::string action;
  std::string object;
  std::string details = "{}";
};

inline constexpr const char* kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string audit_event_hash(const AuditEvent& event);

struct AuditVerdict {
  bool ok = true;
  std::int64_t events = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;
};

// Checks a sequence of events handed over one at a time, in the stored order.
class AuditChainVerifier final {
 public:
  void feed(const AuditEvent& event);
  // The head is what the store recorded as the last event (seq and hash).
  AuditVerdict finish(std::int64_t head_seq, const std::string& head_hash);

 private:
  void fail(std::int64_t seq, std::string problem);
  AuditVerdict verdict_;
  std::int64_t expected_seq_ = 1;
  std::string prev_hash_ = kAuditGenesisHash;
};

}  // namespace lontar
