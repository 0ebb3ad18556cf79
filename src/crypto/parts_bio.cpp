#include "crypto/parts_bio.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "crypto/crypto_error.h"

namespace lontar::crypto {

namespace {
struct Reader {
  std::vector<std::string_view> parts;
  std::size_t index = 0;   // the part being read
  std::size_t offset = 0;  // within it
  bool done() const { return index >= parts.size(); }
};

int read_parts(BIO* bio, char* out, int wanted) {
  auto* reader = static_cast<Reader*>(BIO_get_data(bio));
  int given = 0;
  while (given < wanted && !reader->done()) {
    const auto part = reader->parts[reader->index];
    const auto n = std::min(static_cast<std::size_t>(wanted - given), part.size() - reader->offset);
    std::memcpy(out + given, part.data() + reader->offset, n);
    given += static_cast<int>(n);
    reader->offset += n;
    if (reader->offset == part.size()) {
      ++reader->index;
      reader->offset = 0;
    }
  }
  return given;
}

long control(BIO* bio, int command, long, void*) {
  auto* reader = static_cast<Reader*>(BIO_get_data(bio));
  switch (command) {
    case BIO_CTRL_EOF: return reader && reader->done() ? 1 : 0;
    case BIO_CTRL_FLUSH: return 1;
    default: return 0;
  }
}

int destroy(BIO* bio) {
  delete static_cast<Reader*>(BIO_get_data(bio));
  BIO_set_data(bio, nullptr);
  return 1;
}

// One method for the process, made on first use and kept (OpenSSL holds no other copy).
const BIO_METHOD* parts_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "lontar parts");
    if (!m || BIO_meth_set_read(m, read_parts) != 1 || BIO_meth_set_ctrl(m, control) != 1 ||
        BIO_meth_set_destroy(m, destroy) != 1)
      throw_openssl("preparing a memory reader");
    return m;
  }();
  return method;
}
}  // namespace

OsslPtr<BIO> parts_bio(std::span<const std::string_view> parts) {
  OsslPtr<BIO> bio(BIO_new(parts_method()));
  if (!bio) throw_openssl("allocating a memory reader");
  BIO_set_data(bio.get(), new Reader{{parts.begin(), parts.end()}});
  BIO_set_init(bio.get(), 1);
  return bio;
}

}  // namespace lontar::crypto
