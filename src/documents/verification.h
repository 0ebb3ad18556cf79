#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instance/instance.h"
#include "core/document.h"

namespace lontar {

struct SignatureFinding {
  std::string signer;  // CN
  std::string unit;    // OU
  std::string serial;
  std::int64_t timestamp = 0;  // 0 when the signature has no timestamp
  bool intact = false;
  bool trusted = false;
  bool ours = false;  // the certificate is registered here, so its status is known
  std::string status_now;  // valid | revoked | superseded | expired | unknown
  bool revoked_after_signing = false;
  std::string problem;
  std::string contact_info;      // /ContactInfo: Lontar puts the verification URL there
  std::int64_t signed_size = 0;  // where its byte range ends; 0 when the range does not fit the file
};

enum class Verdict {
  identical,  // the very file registered here, all signatures valid
  valid,      // validly signed, not (or not byte-identical to) a registered file
  changed,    // a signature does not cover the file as it is now
  untrusted,  // intact, but a signer is not trusted by this CA
  unsigned_document,
  refused,    // the file is built to mislead (ambiguous signer, byte-range tricks, scripts)
};

struct VerificationReport {
  std::string sha256;
  std::optional<SignedDocument> registered;
  std::vector<SignatureFinding> signatures;
  Verdict verdict = Verdict::unsigned_document;
  bool long_term_validation_data = false;  // OCSP answers or CRLs in the document (B-LT)
  std::string problem;  // why it is refused or changed, for the reader
};

const char* to_string(Verdict verdict) noexcept;

// Checks an uploaded PDF in memory (it is never stored) with verify_signatures: each
// signature's place in the file and value, its chain to this CA at the timestamp, its
// certificate's status now, and whether the file is the one registered under `code`
// (or any registered file). Within the instance's document limits: past one, throws
// Error(policy, "pdf_limit_…").
VerificationReport verify_document(Instance& instance, std::string_view pdf, const std::string& code = {});

}  // namespace lontar
