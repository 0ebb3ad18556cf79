#include "crypto/crl_writer.h"

#include "core/revocation.h"
#include "crypto/crypto_error.h"
#include "crypto/der.h"

namespace lontar::crypto {

namespace {
// id-ce-cRLReasons, id-ce-invalidityDate, id-ce-authorityKeyIdentifier, id-ce-cRLNumber
const std::string kReasonCodeOid("\x06\x03\x55\x1d\x15", 5);
const std::string kInvalidityDateOid("\x06\x03\x55\x1d\x18", 5);
const std::string kAuthorityKeyIdOid("\x06\x03\x55\x1d\x23", 5);
const std::string kCrlNumberOid("\x06\x03\x55\x1d\x14", 5);

std::string extension(const std::string& oid, const std::string& value_der) {
  return der::tlv(der::kSequence, oid + der::tlv(der::kOctetString, value_der));
}
}  // namespace

CrlWriter::CrlWriter(const Signer& signer, std::int64_t crl_number, TimePoint this_update, TimePoint next_update)
    : signer_(signer), crl_number_(crl_number), this_update_(to_unix(this_update)), next_update_(to_unix(next_update)) {}

void CrlWriter::add(const CertificateStatusInfo& entry) {
  std::string body = der::integer_from_hex(entry.serial_hex);
  body += der::time(entry.revoked_at);
  std::string extensions;
  const auto reason = parse_revocation_reason(entry.revocation_reason).value_or(RevocationReason::unspecified);
  if (reason != RevocationReason::unspecified)
    extensions += extension(kReasonCodeOid, der::tlv(der::kEnumerated, std::string(1, static_cast<char>(reason_code(reason)))));
  if (entry.invalidity_date > 0)
    extensions += extension(kInvalidityDateOid, der::generalized_time(entry.invalidity_date));
  if (!extensions.empty()) der::append_tlv(body, der::kSequence, extensions);
  der::append_tlv(entries_, der::kSequence, body);
  ++count_;
}

std::string CrlWriter::finish() {
  X509* issuer = signer_.certificate().get();
  const ASN1_OCTET_STRING* key_id = X509_get0_subject_key_id(issuer);
  if (!key_id) throw Error(ErrorKind::internal, "no_ski", "the issuing CA certificate has no subject key identifier");

  const std::string issuer_name = encode_der<X509_NAME>(X509_get_subject_name(issuer), i2d_X509_NAME, "the issuer name");

  const std::string algorithm = signer_.signature_algorithm_der();
  std::string prefix = der::integer(1);  // v2
  prefix += algorithm;
  prefix += issuer_name;
  prefix += der::time(this_update_);
  prefix += der::time(next_update_);
  // RFC 5280 §5.1.2.6: with no revoked certificates the list is absent, not empty.
  if (count_ > 0) prefix += der::header(der::kSequence, entries_.size());

  const std::string key_identifier = der::tlv(
      der::kContext0Primitive,
      std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                       static_cast<size_t>(ASN1_STRING_length(key_id))));
  const std::string extensions =
      extension(kAuthorityKeyIdOid, der::tlv(der::kSequence, key_identifier)) +
      extension(kCrlNumberOid, der::integer(crl_number_));
  const std::string suffix = der::tlv(der::kContext0, der::tlv(der::kSequence, extensions));

  const std::size_t tbs_length = prefix.size() + entries_.size() + suffix.size();
  const std::string tbs_header = der::header(der::kSequence, tbs_length);
  const std::string signature = signer_.sign_data({tbs_header, prefix, entries_, suffix});
  const std::string signature_value = der::tlv(der::kBitString, std::string(1, '\0') + signature);

  const std::size_t total = tbs_header.size() + tbs_length + algorithm.size() + signature_value.size();
  std::string crl = der::header(der::kSequence, total);
  crl.reserve(crl.size() + total);
  crl += tbs_header;
  crl += prefix;
  crl += entries_;
  std::string().swap(entries_);  // the entries now live in the output only
  crl += suffix;
  crl += algorithm;
  crl += signature_value;
  return crl;
}

}  // namespace lontar::crypto
