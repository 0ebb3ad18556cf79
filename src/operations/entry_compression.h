#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace lontar::operations {

// zstd for the entries of a backup that compress well (a SQLite snapshot shrinks about
// sevenfold). The compressed bytes leave in blocks of at most kMaxPackedBlock, so a
// reader holds one block at a time whatever the entry's size.
inline constexpr std::size_t kMaxPackedBlock = 1024 * 1024;

class Compressor final {
 public:
  using BlockSink = std::function<void(std::string_view block)>;
  explicit Compressor(BlockSink sink);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  void write(std::string_view bytes);
  // Ends the frame and hands over what is left; nothing may be written after.
  void finish();

 private:
  void drain(bool ending, std::string_view bytes);
  struct Context;
  std::unique_ptr<Context> context_;
  BlockSink sink_;
  std::string block_;
};

class Decompressor final {
 public:
  using OutputSink = std::function<void(std::string_view bytes)>;
  // `expected_size` is what the entry's header declares: more output, or a frame that
  // ends short of it, is refused as damage.
  Decompressor(std::uint64_t expected_size, OutputSink sink);
  ~Decompressor();
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  void feed(std::string_view block);
  // Throws unless exactly one whole frame of exactly the declared size was fed.
  void finish();

 private:
  void pump(std::string_view input);
  struct Context;
  std::unique_ptr<Context> context_;
  std::uint64_t left_;
  OutputSink sink_;
  std::string output_;
  bool frame_complete_ = false;
};

}  // namespace lontar::operations
