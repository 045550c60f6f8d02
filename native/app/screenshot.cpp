// PNG screenshots of the OpenGL framebuffer, written with stb_image_write (Debian's
// libstb-dev). The implementation of the stb header is compiled here, in this file only.
#include "screenshot.h"

#include <SDL_opengl.h>

#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace nnplay::desktop {

std::string save_framebuffer_png(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return "empty framebuffer";
  const size_t row = size_t(width) * 4;
  std::vector<unsigned char> pixels(row * size_t(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  if (GLenum err = glGetError(); err != GL_NO_ERROR) return "glReadPixels failed (GL error " + std::to_string(err) + ")";
  // OpenGL's rows start at the bottom, PNG's at the top; the alpha channel is whatever
  // the clear left, so make it opaque or viewers show a see-through image.
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y) {
    const unsigned char* src = pixels.data() + size_t(height - 1 - y) * row;
    unsigned char* dst = flipped.data() + size_t(y) * row;
    for (size_t i = 0; i < row; i += 4) {
      dst[i] = src[i];
      dst[i + 1] = src[i + 1];
      dst[i + 2] = src[i + 2];
      dst[i + 3] = 255;
    }
  }
  if (!stbi_write_png(path.c_str(), width, height, 4, flipped.data(), int(row))) return "cannot write " + path;
  return "";
}

}  // namespace nnplay::desktop
