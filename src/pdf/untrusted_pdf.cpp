#include "pdf/untrusted_pdf.h"

#include <qpdf/Pipeline.hh>

#include <optional>
#include <set>

#include "core/error.h"
#include "pdf/pdf_document.h"
#include "pdf/token_count.h"

namespace lontar::pdf {

namespace {
void check_filters(QPDFObjectHandle stream, const PdfLimits& limits) {
  auto filter = stream.getDict().getKey("/Filter");
  if (filter.isArray() && filter.getArrayNItems() > limits.max_filters)
    exceeded("filters", "a stream is encoded with " + std::to_string(filter.getArrayNItems()) +
                            " filters in a chain; at most " + std::to_string(limits.max_filters) + " are accepted");
}

// Collects decoded bytes and stops the decoder as soon as a limit is passed: qpdf turns the exception into a failed decode, and the limit's own
// error is kept to be thrown once qpdf has let go.
class BoundedSink final : public Pipeline {
 public:
  explicit BoundedSink(PdfBudget& budget) : Pipeline("bounded sink", nullptr), budget_(budget) {}
  void write(unsigned char const* data, size_t length) override {
    if (over_) throw std::length_error("limit");
    try {
      if (bytes_.size() + length > budget_.limits().max_stream_bytes)
        exceeded("stream_bytes", "a stream decodes to more than " +
                                     std::to_string(budget_.limits().max_stream_bytes / (1024 * 1024)) + " MiB");
      budget_.spend_decoded(length);
      budget_.check_time();
    } catch (const Error& e) {
      over_ = e;
      throw std::length_error("limit");
    }
    bytes_.append(reinterpret_cast<const char*>(data), length);
  }
  void finish() override {}
  std::string take() { return std::move(bytes_); }
  const std::optional<Error>& over() const { return over_; }

 private:
  PdfBudget& budget_;
  std::string bytes_;
  std::optional<Error> over_;
};

}  // namespace

std::string bounded_stream_data(QPDFObjectHandle stream, PdfBudget& budget) {
  check_filters(stream, budget.limits());
  BoundedSink sink(budget);
  bool decoded = false, filtered = false;
  try {
    decoded = stream.pipeStreamData(&sink, &filtered, 0, qpdf_dl_generalized, true, false);
  } catch (const std::exception&) {
    decoded = false;
  }
  if (sink.over()) throw *sink.over();
  if (!decoded) throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "A stream in the PDF cannot be decoded.");
  return sink.take();
}

void load_untrusted(QPDF& doc, std::string_view pdf, const std::string& purpose, PdfBudget& budget) {
  const auto& limits = budget.limits();
  auto tokens = count_tokens(pdf, true);
  const auto check_tokens = [&] {
    if (tokens > limits.max_tokens)
      exceeded("tokens", "it holds more than " + std::to_string(limits.max_tokens) +
                             " numbers, names and other tokens to parse");
  };
  check_tokens();
  load_pdf(doc, pdf, purpose);
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
    tokens += count_tokens(bounded_stream_data(stream, budget), false);
    check_tokens();
  }
}

}  // namespace lontar::pdf
