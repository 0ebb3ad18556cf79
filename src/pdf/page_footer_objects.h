#pragma once

#include <qpdf/QPDFObjectHandle.hh>

#include <map>
#include <string>
#include <vector>

#include "pdf/page_footer.h"

namespace lontar::pdf {

// Adds the footer to `pages` as new objects numbered from `next_object` (advanced):
// each page's content is wrapped in q…Q and followed by its footer stream, and the
// footer's font joins the page's resources. Changes to page dictionaries go into
// `page_changes` (object number → key → PDF syntax), for the caller to merge with its own.
void add_page_footer(const PageFooter& footer, const std::vector<QPDFObjectHandle>& pages,
                     std::map<int, std::string>& objects, std::map<int, std::map<std::string, std::string>>& page_changes,
                     int& next_object);

}  // namespace lontar::pdf
