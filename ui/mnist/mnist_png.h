// PNG encoding of greyscale images (the 28×28 digit the model sees, saved on the desktop
// or downloaded from the page), in memory, with stb_image_write, which builds for the
// page as well as natively.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnplay::ui {

// 8-bit greyscale, width × height bytes row-major (0 black, 255 white).
std::vector<uint8_t> encode_png_gray(const uint8_t* pixels, int width, int height);

// A 784-value image in [0, 1] as MNIST stores it: 0 background (black), 1 ink (white).
std::vector<uint8_t> encode_digit_png(const std::vector<float>& image);

}  // namespace nnplay::ui
