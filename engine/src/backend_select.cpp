// Choosing a backend by name, and the stand-ins used when the build has no CUDA backend.
#include <string>

#include "nnplay/backend.h"
#include "nnplay/error.h"

namespace nnplay {

#ifndef NNPLAY_HAVE_CUDA
bool cuda_available(std::string* why) {
  if (why) *why = "this build of nnplay has no CUDA backend (configure with -DNNPLAY_CUDA=ON where nvcc exists)";
  return false;
}

std::unique_ptr<Backend> make_cuda_backend() {
  std::string why;
  cuda_available(&why);
  throw Error("CUDA device requested but " + why);
}
#endif

std::unique_ptr<Backend> make_backend(const std::string& device, int threads, std::string* note) {
  if (device == "cpu") return make_cpu_backend(threads);
  if (device == "cuda") return make_cuda_backend();
  if (device == "auto") {
    std::string why;
    if (cuda_available(&why)) {
      if (note) *note = "using the GPU: " + why;
      return make_cuda_backend();
    }
    if (note) *note = why + ", training on the CPU";
    return make_cpu_backend(threads);
  }
  throw Error("unknown device '" + device + "' (expected auto, cpu or cuda)");
}

}  // namespace nnplay
