// PNG writing with zlib (see mnist_png.h).
#include "mnist_png.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>

#include "nnplay/error.h"

namespace nnplay::ui {

namespace {

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(v >> shift));
}

// A chunk: length, type, data, then the CRC of type and data.
void chunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data) {
  put_u32(out, uint32_t(data.size()));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  const uLong crc = crc32(0L, out.data() + start, uInt(out.size() - start));
  put_u32(out, uint32_t(crc));
}

}  // namespace

std::vector<uint8_t> encode_png_gray(const uint8_t* pixels, int width, int height) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
    throw Error("encode_png_gray: bad image size " + std::to_string(width) + "x" + std::to_string(height));
  // Each row starts with its filter type (0: none).
  std::vector<uint8_t> raw;
  raw.reserve(size_t(height) * (size_t(width) + 1));
  for (int r = 0; r < height; ++r) {
    raw.push_back(0);
    raw.insert(raw.end(), pixels + size_t(r) * size_t(width), pixels + size_t(r + 1) * size_t(width));
  }
  uLongf packed_size = compressBound(uLong(raw.size()));
  std::vector<uint8_t> packed(packed_size);
  if (compress2(packed.data(), &packed_size, raw.data(), uLong(raw.size()), Z_BEST_COMPRESSION) != Z_OK)
    throw Error("encode_png_gray: zlib could not compress the image");
  packed.resize(packed_size);

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr;
  put_u32(ihdr, uint32_t(width));
  put_u32(ihdr, uint32_t(height));
  ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // 8 bits, greyscale, deflate, no filter, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", packed);
  chunk(png, "IEND", {});
  return png;
}

std::vector<uint8_t> encode_digit_png(const std::vector<float>& image) {
  if (image.size() != 784) throw Error("encode_digit_png: expected 784 values, got " + std::to_string(image.size()));
  std::vector<uint8_t> px(784);
  for (size_t i = 0; i < 784; ++i) px[i] = uint8_t(std::lround(std::clamp(image[i], 0.0f, 1.0f) * 255.0f));
  return encode_png_gray(px.data(), 28, 28);
}

}  // namespace nnplay::ui
