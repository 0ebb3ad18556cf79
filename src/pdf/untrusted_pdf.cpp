#include "pdf/untrusted_pdf.h"

#include <qpdf/Pipeline.hh>

#include <set>

#include "core/error.h"
#include "pdf/pdf_document.h"

namespace lontar::pdf {

namespace {
// Collects decoded bytes and stops the decoder (by throwing, which qpdf turns into a
// failed decode) as soon as a limit is passed.
class BoundedSink final : public Pipeline {
 public:
  BoundedSink(PdfBudget& budget, std::size_t stream_limit) : Pipeline("bounded sink", nullptr), budget_(budget), limit_(stream_limit) {}
  void write(unsigned char const* data, size_t length) override {
    if (!over_.empty()) throw std::length_error("limit");
    if (bytes_.size() + length > limit_) {
      over_ = "stream";
      throw std::length_error("limit");
    }
    try {
      budget_.spend_decoded(length);
      budget_.check_time();
    } catch (const Error& e) {
      over_ = e.code();
      throw std::length_error("limit");
    }
    bytes_.append(reinterpret_cast<const char*>(data), length);
  }
  void finish() override {}
  std::string take() { return std::move(bytes_); }
  const std::string& over() const { return over_; }

 private:
  PdfBudget& budget_;
  std::size_t limit_;
  std::string bytes_;
  std::string over_;
};

void check_filters(QPDFObjectHandle stream, const PdfLimits& limits) {
  auto filter = stream.getDict().getKey("/Filter");
  if (filter.isArray() && filter.getArrayNItems() > limits.max_filters)
    exceeded("filters", "a stream is encoded with " + std::to_string(filter.getArrayNItems()) +
                            " filters in a chain; at most " + std::to_string(limits.max_filters) + " are accepted");
}
}  // namespace

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

std::string bounded_stream_data(QPDFObjectHandle stream, PdfBudget& budget) {
  const auto& limits = budget.limits();
  check_filters(stream, limits);
  BoundedSink sink(budget, limits.max_stream_bytes);
  bool decoded = false, filtered = false;
  try {
    decoded = stream.pipeStreamData(&sink, &filtered, 0, qpdf_dl_generalized, true, false);
  } catch (const std::exception&) {
    decoded = false;
  }
  if (sink.over() == "stream")
    exceeded("stream_bytes", "a stream decodes to more than " +
                                 std::to_string(limits.max_stream_bytes / (1024 * 1024)) + " MiB");
  if (!sink.over().empty()) {
    if (sink.over() == "pdf_limit_time") budget.check_time();
    exceeded("decoded_bytes", "its streams decode to more than " +
                                  std::to_string(limits.max_decoded_bytes / (1024 * 1024)) + " MiB in all");
  }
  if (!decoded) throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "A stream in the PDF cannot be decoded.");
  return sink.take();
}

void load_untrusted(QPDF& doc, std::string_view pdf, const std::string& purpose, PdfBudget& budget) {
  load_pdf(doc, pdf, purpose);
  const auto& limits = budget.limits();
  std::set<int> object_streams;
  try {
    const auto table = doc.getXRefTable();
    if (table.size() > limits.max_objects)
      exceeded("objects", "it has " + std::to_string(table.size()) + " objects; at most " +
                              std::to_string(limits.max_objects) + " are accepted");
    for (const auto& [id, entry] : table)
      if (entry.getType() == 2) object_streams.insert(entry.getObjStreamNumber());
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "The file is damaged or not a PDF.");
  }
  for (const int number : object_streams) {
    budget.check_time();
    QPDFObjectHandle stream;
    try {
      stream = doc.getObjectByID(number, 0);
    } catch (const std::exception&) {
      throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "The file is damaged or not a PDF.");
    }
    if (!stream.isStream()) throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "The file is damaged or not a PDF.");
    (void)bounded_stream_data(stream, budget);
  }
}

}  // namespace lontar::pdf
