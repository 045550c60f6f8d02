// PNG writing with stb_image_write (Debian's libstb-dev; see mnist_png.h). The stb
// functions are compiled static to this file, so the desktop app's screenshot code can
// compile its own copy without the two clashing.
#include "mnist/mnist_png.h"

#include <algorithm>
#include <cmath>

#include "nnplay/error.h"

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace nnplay::ui {

std::vector<uint8_t> encode_png_gray(const uint8_t* pixels, int width, int height) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
    throw Error("encode_png_gray: bad image size " + std::to_string(width) + "x" + std::to_string(height));
  std::vector<uint8_t> png;
  auto append = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    const auto* bytes = static_cast<const uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
  };
  if (!stbi_write_png_to_func(append, &png, width, height, 1, pixels, width))
    throw Error("encode_png_gray: stb_image_write could not encode the image");
  return png;
}

std::vector<uint8_t> encode_digit_png(const std::vector<float>& image) {
  if (image.size() != 784) throw Error("encode_digit_png: expected 784 values, got " + std::to_string(image.size()));
  std::vector<uint8_t> px(784);
  for (size_t i = 0; i < 784; ++i) px[i] = uint8_t(std::lround(std::clamp(image[i], 0.0f, 1.0f) * 255.0f));
  return encode_png_gray(px.data(), 28, 28);
}

}  // namespace nnplay::ui
