#include "pdf/page_footer_objects.h"

#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>

#include "pdf/pdf_document.h"

namespace lontar::pdf {

namespace {
constexpr const char* kFontName = "/LontarFooter";
constexpr double kMaxFontSize = 6.5;
constexpr double kMinFontSize = 3.5;
constexpr double kSideMargin = 24;
constexpr double kBottom = 8;
// Helvetica's average advance for prose, in ems: enough to keep a line on the page.
constexpr double kAverageAdvance = 0.52;

std::string stream_object(const std::string& content) {
  return "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream";
}

struct Box {
  double left = 0, bottom = 0, right = 612, top = 792;
};

Box visible_box(QPDFObjectHandle page) {
  QPDFPageObjectHelper helper(page);
  auto box = helper.getAttribute("/CropBox", false);
  if (!box.isArray()) box = helper.getAttribute("/MediaBox", false);
  Box out;
  if (!box.isArray() || box.getArrayNItems() != 4) return out;
  for (int i = 0; i < 4; ++i)
    if (!box.getArrayItem(i).isNumber()) return out;
  const double x0 = box.getArrayItem(0).getNumericValue(), y0 = box.getArrayItem(1).getNumericValue();
  const double x1 = box.getArrayItem(2).getNumericValue(), y1 = box.getArrayItem(3).getNumericValue();
  return {std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
}

std::string replaced(std::string text, const std::string& name, const std::string& value) {
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size()))
    text.replace(at, name.size(), value);
  return text;
}

std::string footer_drawing(const PageFooter& footer, const Box& box, int page, int pages) {
  std::size_t longest = 1;
  std::vector<std::string> lines;
  for (const auto& line : footer.lines) {
    lines.push_back(replaced(replaced(line, "{page}", std::to_string(page)), "{pages}", std::to_string(pages)));
    longest = std::max(longest, lines.back().size());
  }
  const double width = std::max(1.0, box.right - box.left - 2 * kSideMargin);
  const double size =
      std::clamp(width / (kAverageAdvance * static_cast<double>(longest)), kMinFontSize, kMaxFontSize);
  const double leading = size * 1.25;
  std::string out = "Q q BT 0.25 0.25 0.25 rg " + std::string(kFontName) + " " + number(size) + " Tf " +
                    number(leading) + " TL " + number(box.left + kSideMargin) + " " +
                    number(box.bottom + kBottom + leading * static_cast<double>(lines.size() - 1)) + " Td\n";
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "T* " : "") + literal(lines[i]) + " Tj\n";
  return out + "ET Q\n";
}

// The page's resources (inherited ones included) with the footer's font added.
std::string resources_with_font(QPDFObjectHandle page, int font) {
  auto resources = QPDFPageObjectHelper(page).getAttribute("/Resources", false);
  auto fonts = resources.isDictionary() ? resources.getKey("/Font") : QPDFObjectHandle::newNull();
  return dictionary_with(resources, {{"/Font", dictionary_with(fonts, {{kFontName, reference(font)}})}});
}

std::string contents_wrapped(QPDFObjectHandle page, int opening, int footer) {
  std::string out = "[" + reference(opening);
  auto contents = page.getKey("/Contents");
  if (contents.isArray()) {
    for (auto& item : contents.getArrayAsVector()) out += " " + item.unparse();
  } else if (contents.isStream()) {
    out += " " + contents.unparse();
  }
  return out + " " + reference(footer) + "]";
}
}  // namespace

void add_page_footer(const PageFooter& footer, const std::vector<QPDFObjectHandle>& pages,
                     std::map<int, std::string>& objects, std::map<int, std::map<std::string, std::string>>& page_changes,
                     int& next_object) {
  if (footer.lines.empty() || pages.empty()) return;
  const int font = next_object++;
  const int opening = next_object++;
  objects[font] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  // The page's own drawing runs inside q…Q, so whatever state it leaves, the footer
  // starts from the page's default coordinates.
  objects[opening] = stream_object("q");
  const int count = static_cast<int>(pages.size());
  for (int i = 0; i < count; ++i) {
    const auto& page = pages[static_cast<std::size_t>(i)];
    const int drawing = next_object++;
    objects[drawing] = stream_object(footer_drawing(footer, visible_box(page), i + 1, count));
    auto& changes = page_changes[page.getObjectID()];
    changes["/Contents"] = contents_wrapped(page, opening, drawing);
    changes["/Resources"] = resources_with_font(page, font);
  }
}

}  // namespace lontar::pdf
