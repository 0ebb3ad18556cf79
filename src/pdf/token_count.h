#pragma once

#include <cstddef>
#include <string_view>

namespace lontar::pdf {

// How many PDF tokens (numbers, names, strings, keywords, delimiters) `text` holds: what
// qpdf would turn into objects, each costing memory, if it parsed all of it. A file
// a few megabytes long can hold millions ("[0 0 0 …]"), which is why the count is
// limited before qpdf parses anything. With `skip_stream_data`, the data between
// `stream` and `endstream` is skipped (it is not parsed as objects).
std::size_t count_tokens(std::string_view text, bool skip_stream_data);

}  // namespace lontar::pdf
