#include "pdf/token_count.h"

namespace lontar::pdf {

namespace {
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool is_delimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}
}  // namespace

std::size_t count_tokens(std::string_view text, bool skip_stream_data) {
  std::size_t count = 0, i = 0;
  const auto n = text.size();
  while (i < n) {
    const char c = text[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '%') {  // a comment, to the end of the line
      while (i < n && text[i] != '\n' && text[i] != '\r') ++i;
    } else if (c == '(') {  // a literal string: balanced parentheses, backslash escapes
      ++count;
      int depth = 0;
      for (; i < n; ++i) {
        if (text[i] == '\\') ++i;
        else if (text[i] == '(') ++depth;
        else if (text[i] == ')' && --depth == 0) break;
      }
      ++i;
    } else if (c == '<' && i + 1 < n && text[i + 1] != '<') {  // a hex string
      ++count;
      while (i < n && text[i] != '>') ++i;
      ++i;
    } else if (c == '<' || c == '>') {  // << or >>
      ++count;
      i += (i + 1 < n && text[i + 1] == c) ? 2 : 1;
    } else if (c == '[' || c == ']' || c == '{' || c == '}' || c == ')') {
      ++count;
      ++i;
    } else {  // a name (after '/'), a number or a keyword
      ++count;
      const auto start = i++;
      while (i < n && !is_space(text[i]) && !is_delimiter(text[i])) ++i;
      if (skip_stream_data && text.substr(start, i - start) == "stream") {
        const auto end = text.find("endstream", i);
        i = end == std::string_view::npos ? n : end + 9;
      }
    }
  }
  return count;
}

}  // namespace lontar::pdf
