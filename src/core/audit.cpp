#include "core/audit.h"

#include "core/encoding.h"

namespace lontar {

namespace {
// Length-prefixed fields, so no choice of field contents can make two different
// events serialise to the same bytes.
void append_field(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}
}  // namespace

std::string audit_event_hash(const AuditEvent& event) {
  std::string canonical = "lontar-audit-v1;";
  append_field(canonical, std::to_string(event.seq));
  append_field(canonical, std::to_string(event.at));
  append_field(canonical, event.actor);
  append_field(canonical, event.action);
  append_field(canonical, event.object);
  append_field(canonical, event.details);
  append_field(canonical, event.prev_hash);
  return sha256_hex(canonical);
}

void AuditChainVerifier::fail(std::int64_t seq, std::string problem) {
  if (!verdict_.ok) return;
  verdict_.ok = false;
  verdict_.first_bad_seq = seq;
  verdict_.problem = std::move(problem);
}

void AuditChainVerifier::feed(const AuditEvent& event) {
  ++verdict_.events;
  if (!verdict_.ok) return;
  const auto label = "event " + std::to_string(event.seq);
  if (event.seq != expected_seq_) {
    fail(event.seq, label + " stands where event " + std::to_string(expected_seq_) +
                        " was expected: an event was deleted, inserted or reordered");
  } else if (event.prev_hash != prev_hash_) {
    fail(event.seq, label + " does not link to the event before it: an event was deleted, inserted or reordered");
  } else if (audit_event_hash(event) != event.hash) {
    fail(event.seq, label + " (" + event.action + ") was changed after it was written");
  }
  expected_seq_ = event.seq + 1;
  prev_hash_ = event.hash;
}

AuditVerdict AuditChainVerifier::finish(std::int64_t head_seq, const std::string& head_hash) {
  if (verdict_.ok && (head_seq != expected_seq_ - 1 || head_hash != prev_hash_)) {
    fail(expected_seq_, "the trail ends at event " + std::to_string(expected_seq_ - 1) +
                            " but the last event written was " + std::to_string(head_seq) +
                            ": events were deleted from the end or the head was changed");
  }
  return verdict_;
}

}  // namespace lontar
