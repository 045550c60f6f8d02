// Saving the current OpenGL framebuffer as a PNG (the desktop app's --screenshot).
#pragma once

#include <string>

namespace nnplay::desktop {

// Reads width x height RGBA pixels of the bound framebuffer (call after rendering, before
// the buffer swap) and writes them top row first to path. Returns "" or an error message.
std::string save_framebuffer_png(const std::string& path, int width, int height);

}  // namespace nnplay::desktop
