#include "operations/entry_compression.h"

#include <zstd.h>

#include "core/error.h"

namespace lontar::operations {

namespace {
// zstd's own default: on a Lontar database a third of gzip -1's time for two thirds
// of its size (libz came with qpdf; libzstd earns its place by that).
constexpr int kLevel = 3;
// One worker thread compresses while the caller reads the snapshot and seals blocks.
constexpr int kWorkers = 1;
// A window larger than this is refused on reading (128 MiB, zstd's own default bound).
constexpr int kMaxWindowLog = 27;

[[noreturn]] void damaged(const std::string& why) {
  throw Error(ErrorKind::invalid_input, "backup_damaged", "The backup is damaged: " + why + ".");
}

struct FreeCCtx {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct FreeDCtx {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
}  // namespace

struct Compressor::Context {
  std::unique_ptr<ZSTD_CCtx, FreeCCtx> cctx{ZSTD_createCCtx()};
};

Compressor::Compressor(BlockSink sink) : context_(std::make_unique<Context>()), sink_(std::move(sink)) {
  if (!context_->cctx) throw std::bad_alloc();
  auto* c = context_->cctx.get();
  if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, kLevel)) ||
      ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)))
    throw Error(ErrorKind::internal, "backup_compress", "The compressor refused its settings.");
  // A libzstd built without threads compresses on the caller's thread instead.
  (void)ZSTD_CCtx_setParameter(c, ZSTD_c_nbWorkers, kWorkers);
  block_.resize(kMaxPackedBlock);
}

Compressor::~Compressor() = default;

void Compressor::drain(bool ending, std::string_view bytes) {
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  for (;;) {
    ZSTD_outBuffer out{block_.data(), block_.size(), 0};
    const auto left = ZSTD_compressStream2(context_->cctx.get(), &out, &in, ending ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left))
      throw Error(ErrorKind::internal, "backup_compress",
                  std::string("Compressing the backup failed: ") + ZSTD_getErrorName(left) + ".");
    if (out.pos > 0) sink_(std::string_view(block_.data(), out.pos));
    const bool done = ending ? left == 0 : in.pos == in.size;
    if (done) return;
  }
}

void Compressor::write(std::string_view bytes) {
  if (!bytes.empty()) drain(false, bytes);
}

void Compressor::finish() { drain(true, {}); }

struct Decompressor::Context {
  std::unique_ptr<ZSTD_DCtx, FreeDCtx> dctx{ZSTD_createDCtx()};
};

Decompressor::Decompressor(std::uint64_t expected_size, OutputSink sink)
    : context_(std::make_unique<Context>()), left_(expected_size), sink_(std::move(sink)) {
  if (!context_->dctx) throw std::bad_alloc();
  if (ZSTD_isError(ZSTD_DCtx_setParameter(context_->dctx.get(), ZSTD_d_windowLogMax, kMaxWindowLog)))
    throw Error(ErrorKind::internal, "backup_decompress", "The decompressor refused its settings.");
  output_.resize(ZSTD_DStreamOutSize());
}

Decompressor::~Decompressor() = default;

void Decompressor::pump(std::string_view input) {
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  for (;;) {
    if (frame_complete_) {
      if (in.pos < in.size) damaged("a compressed entry continues after its end");
      return;
    }
    ZSTD_outBuffer out{output_.data(), output_.size(), 0};
    const auto hint = ZSTD_decompressStream(context_->dctx.get(), &out, &in);
    if (ZSTD_isError(hint))
      damaged(std::string("a compressed entry does not decompress (") + ZSTD_getErrorName(hint) + ")");
    if (out.pos > left_) damaged("a compressed entry is longer than its header says");
    left_ -= out.pos;
    if (out.pos > 0) sink_(std::string_view(output_.data(), out.pos));
    frame_complete_ = hint == 0;
    // A full output buffer may leave more behind in zstd's: run again, input or not.
    if (in.pos == in.size && out.pos < out.size) return;
  }
}

void Decompressor::feed(std::string_view block) { pump(block); }

void Decompressor::finish() {
  pump({});
  if (!frame_complete_) damaged("a compressed entry ends early");
  if (left_ != 0) damaged("a compressed entry is shorter than its header says");
}

}  // namespace lontar::operations
