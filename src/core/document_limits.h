#pragma once

#include <chrono>
#include <cstddef>

namespace lontar {

// How much work one untrusted PDF may cost a check (verification pages and API,
// registration, letters, documents to sign). A file past any of them is refused with
// a message naming the limit, before or instead of the work.
struct DocumentLimits {
  std::size_t max_objects = 50'000;
  // Tokens qpdf would parse into objects (outside stream data, inside object streams);
  // each costs a few hundred bytes once parsed, so this bounds a check's memory.
  std::size_t max_tokens = 250'000;
  std::size_t max_stream_bytes = 32 * 1024 * 1024;  // decoded, one stream
  std::size_t max_decoded_bytes = 96 * 1024 * 1024;  // decoded, all streams of one check
  int max_filters = 2;                               // filters chained on one stream
  std::size_t max_signatures = 40;
  std::size_t max_dss_entries = 1'000;               // certificates, OCSP answers and CRLs together
  std::chrono::milliseconds max_time{10'000};        // wall time of one check
};

}  // namespace lontar
