// Grayscale-to-text ramp for MNIST-like images (0 = background, 255 = ink).
#include "text_art.h"

namespace nnplay::cli {

std::string text_art(const uint8_t* pixels, int64_t rows, int64_t cols) {
  static const char ramp[] = " .:-=+*#%@";
  const int levels = sizeof(ramp) - 1;
  std::string out;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      int v = pixels[r * cols + c];
      char ch = ramp[v * levels / 256];
      out += ch;
      out += ch;
    }
    out += '\n';
  }
  return out;
}

}  // namespace nnplay::cli
