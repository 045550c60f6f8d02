// libFuzzer target: the IDX reader on arbitrary bytes, as images and as labels. Each
// input is read as given (raw, or gzip when it starts like one) and once more gzipped
// here, so that mutations of the IDX inside reach the inflating path with a stream whose
// CRC still holds. The only acceptable outcomes are a parsed file whose sizes agree with
// its header, or an nnplay::Error; anything else is a bug. Built and run by scripts/fuzz.sh.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fuzz_util.h"
#include "nnplay/error.h"
#include "nnplay/idx.h"

namespace {

std::vector<uint8_t> gzip(const uint8_t* data, size_t size) {
  z_stream zs{};
  // Level 1 is enough: only the stream's validity matters, not its size.
  if (deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::vector<uint8_t> out(deflateBound(&zs, uLong(size)) + 32);
  zs.next_in = const_cast<Bytef*>(data);
  zs.avail_in = uInt(size);
  zs.next_out = out.data();
  zs.avail_out = uInt(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void parse(const uint8_t* data, size_t size) {
  try {
    nnplay::IdxImages img = nnplay::parse_idx_images(data, size, "fuzz");
    nnplay::fuzz::require(img.rows > 0 && img.cols > 0 &&
                              img.pixels.size() == uint64_t(img.count) * uint64_t(img.rows) * uint64_t(img.cols),
                          "parsed images disagree with their header");
  } catch (const nnplay::Error& e) {
    nnplay::fuzz::rejected(e);
  }
  try {
    nnplay::IdxLabels lab = nnplay::parse_idx_labels(data, size, "fuzz");
    nnplay::fuzz::require(lab.labels.size() == uint64_t(lab.count), "parsed labels disagree with their header");
  } catch (const nnplay::Error& e) {
    nnplay::fuzz::rejected(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parse(data, size);
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) return 0;  // already gzip
  const std::vector<uint8_t> gz = gzip(data, size);
  parse(gz.data(), gz.size());
  return 0;
}
