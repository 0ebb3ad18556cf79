#include "crypto/cmp_envelope.h"

#include <cstdint>

namespace lontar::crypto {

namespace {

// One TLV with a single-octet tag and a definite length (DER has no other kind).
struct Tlv {
  std::uint8_t tag = 0;
  std::string_view content;
  std::string_view whole;
};

class DerCursor {
 public:
  explicit DerCursor(std::string_view data) : rest_(data) {}
  bool empty() const { return rest_.empty(); }

  std::optional<Tlv> next() {
    if (rest_.size() < 2) return std::nullopt;
    const auto tag = static_cast<std::uint8_t>(rest_[0]);
    if ((tag & 0x1f) == 0x1f) return std::nullopt;  // high tag numbers do not occur here
    std::size_t length = static_cast<std::uint8_t>(rest_[1]);
    std::size_t header = 2;
    if (length & 0x80) {
      const std::size_t octets = length & 0x7f;
      if (octets == 0 || octets > 4 || rest_.size() < 2 + octets) return std::nullopt;
      length = 0;
      for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | static_cast<std::uint8_t>(rest_[2 + i]);
      header += octets;
    }
    if (rest_.size() - header < length) return std::nullopt;
    Tlv tlv{tag, rest_.substr(header, length), rest_.substr(0, header + length)};
    rest_.remove_prefix(header + length);
    return tlv;
  }

  // The content of the next TLV if it has `tag`.
  std::optional<std::string_view> expect(std::uint8_t tag) {
    auto tlv = next();
    if (!tlv || tlv->tag != tag) return std::nullopt;
    return tlv->content;
  }

 private:
  std::string_view rest_;
};

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kOctetString = 0x04;
constexpr std::uint8_t kOid = 0x06;
constexpr std::uint8_t kEnumerated = 0x0a;
// id-PasswordBasedMAC, 1.2.840.113533.7.66.13
constexpr std::string_view kPasswordBasedMac{"\x2a\x86\x48\x86\xf6\x7d\x07\x42\x0d", 9};
// id-ce-cRLReasons, 2.5.29.21
constexpr std::string_view kCrlReason{"\x55\x1d\x15", 3};
constexpr std::uint8_t kBodyIr = 0xa0, kBodyCr = 0xa2, kBodyKur = 0xa7, kBodyRr = 0xab;

void read_header(std::string_view header, CmpEnvelope& out) {
  DerCursor fields(header);
  // pvno, sender, recipient come first; then the optional, explicitly tagged fields.
  for (int i = 0; i < 3; ++i)
    if (!fields.next()) return;
  while (auto field = fields.next()) {
    DerCursor inner(field->content);
    if (field->tag == 0xa1) {  // protectionAlg
      if (auto algorithm = inner.expect(kSequence)) {
        DerCursor parts(*algorithm);
        if (auto oid = parts.expect(kOid)) out.mac_protected = *oid == kPasswordBasedMac;
      }
    } else if (field->tag == 0xa2) {  // senderKID
      if (auto kid = inner.expect(kOctetString)) out.sender_kid = std::string(*kid);
    }
  }
}

// CertReqMessages → CertReqMsg → CertRequest → certTemplate → [6] publicKey (IMPLICIT,
// RFC 4211 Appendix B): the SubjectPublicKeyInfo with its SEQUENCE tag restored.
void read_request_key(std::string_view body, CmpEnvelope& out) {
  DerCursor messages(body);
  auto list = messages.expect(kSequence);
  if (!list) return;
  DerCursor first(*list);
  auto message = first.expect(kSequence);
  if (!message) return;
  DerCursor message_parts(*message);
  auto request = message_parts.expect(kSequence);
  if (!request) return;
  DerCursor request_parts(*request);
  if (!request_parts.next()) return;  // certReqId
  auto template_fields = request_parts.expect(kSequence);
  if (!template_fields) return;
  DerCursor fields(*template_fields);
  while (auto field = fields.next()) {
    if (field->tag != 0xa6) continue;
    std::string spki;
    spki += static_cast<char>(kSequence);
    spki += std::string(field->whole.substr(1));
    out.request_key = std::move(spki);
    return;
  }
}

// RevReqContent → RevDetails → crlEntryDetails (Extensions) → reasonCode.
void read_revocation_reason(std::string_view body, CmpEnvelope& out) {
  DerCursor content(body);
  auto list = content.expect(kSequence);
  if (!list) return;
  DerCursor first(*list);
  auto details = first.expect(kSequence);
  if (!details) return;
  DerCursor parts(*details);
  if (!parts.next()) return;  // certDetails
  auto extensions = parts.expect(kSequence);
  if (!extensions) return;
  DerCursor each(*extensions);
  while (auto extension = each.next()) {
    DerCursor ext(extension->content);
    auto oid = ext.expect(kOid);
    if (!oid || *oid != kCrlReason) continue;
    auto value = ext.next();
    if (value && value->tag == 0x01) value = ext.next();  // critical flag
    if (!value || value->tag != kOctetString) return;
    DerCursor inner(value->content);
    auto reason = inner.expect(kEnumerated);
    if (reason && reason->size() == 1) out.revocation_reason = static_cast<std::uint8_t>((*reason)[0]);
    return;
  }
}

}  // namespace

std::optional<CmpEnvelope> read_envelope(std::string_view der) {
  DerCursor outer(der);
  auto message = outer.expect(kSequence);
  if (!message || !outer.empty()) return std::nullopt;
  DerCursor parts(*message);
  auto header = parts.expect(kSequence);
  auto body = parts.next();
  if (!header || !body) return std::nullopt;
  CmpEnvelope out;
  read_header(*header, out);
  if (body->tag == kBodyIr || body->tag == kBodyCr || body->tag == kBodyKur) read_request_key(body->content, out);
  if (body->tag == kBodyRr) read_revocation_reason(body->content, out);
  while (auto tail = parts.next()) {
    if (tail->tag != 0xa1) continue;  // [1] extraCerts
    DerCursor certs(tail->content);
    auto list = certs.expect(kSequence);
    if (!list) break;
    DerCursor each(*list);
    if (auto first = each.next(); first && first->tag == kSequence) out.first_extra_cert = std::string(first->whole);
  }
  return out;
}

}  // namespace lontar::crypto
