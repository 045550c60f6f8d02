// Draws a grayscale image as text art for the terminal (two characters per pixel so
// that digits keep their proportions).
#pragma once

#include <cstdint>
#include <string>

namespace nnplay::cli {

std::string text_art(const uint8_t* pixels, int64_t rows, int64_t cols);

}  // namespace nnplay::cli
