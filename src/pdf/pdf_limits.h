#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/document_limits.h"

namespace lontar::pdf {

using PdfLimits = DocumentLimits;

// A file past a limit is refused with Error(policy, "pdf_limit_<name>").
// The limits of one check as it proceeds: decoded bytes so far, and its deadline.
class PdfBudget final {
 public:
  explicit PdfBudget(const PdfLimits& limits = {});
  const PdfLimits& limits() const noexcept { return limits_; }
  // Throws the named limit's error when the deadline has passed.
  void check_time() const;
  void spend_decoded(std::size_t bytes);

 private:
  PdfLimits limits_;
  std::chrono::steady_clock::time_point deadline_;
  std::size_t decoded_ = 0;
};

// Throws Error(policy, "pdf_limit_" + name) with a sentence naming the limit.
[[noreturn]] void exceeded(const std::string& name, const std::string& what);

}  // namespace lontar::pdf
