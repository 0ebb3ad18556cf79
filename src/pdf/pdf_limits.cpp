#include "pdf/pdf_limits.h"

#include "core/error.h"

namespace lontar::pdf {

PdfBudget::PdfBudget(const PdfLimits& limits)
    : limits_(limits), deadline_(std::chrono::steady_clock::now() + limits.max_time) {}

void PdfBudget::check_time() const {
  if (std::chrono::steady_clock::now() > deadline_)
    exceeded("time", "checking the PDF took longer than " + std::to_string(limits_.max_time.count()) + " ms");
}

void PdfBudget::spend_decoded(std::size_t bytes) {
  decoded_ += bytes;
  if (decoded_ > limits_.max_decoded_bytes)
    exceeded("decoded_bytes", "its streams decode to more than " +
                                  std::to_string(limits_.max_decoded_bytes / (1024 * 1024)) + " MiB in all");
}

void exceeded(const std::string& name, const std::string& what) {
  throw Error(ErrorKind::policy, "pdf_limit_" + name, "The PDF is refused because " + what + " (limit: " + name + ").");
}

}  // namespace lontar::pdf
