// Choosing a backend by name, the stand-ins used when the build has no CUDA backend, and
// the words used when auto falls back to the CPU.
#include <filesystem>
#include <fstream>
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

#ifndef __EMSCRIPTEN__
namespace {

std::string first_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace
#endif

bool nvidia_gpu_present() {
#ifdef __EMSCRIPTEN__
  return false;
#else
  namespace fs = std::filesystem;
  std::error_code ec;
  // The driver's device node, or WSL's GPU bridge (there the GPU is not on the PCI bus).
  if (fs::exists("/dev/nvidia0", ec) || fs::exists("/dev/dxg", ec)) return true;
  // Without a driver there is no device node, but the card is still on the PCI bus: a
  // display or 3D controller (class 0x03xxxx) from NVIDIA (vendor 0x10de).
  for (fs::directory_iterator it("/sys/bus/pci/devices", ec), end; !ec && it != end; it.increment(ec))
    if (first_line(it->path() / "vendor") == "0x10de" && first_line(it->path() / "class").rfind("0x03", 0) == 0)
      return true;
  return false;
#endif
}

std::unique_ptr<Backend> make_backend(const std::string& device, int threads, std::string* note) {
  if (device == "cpu") return make_cpu_backend(threads);
  if (device == "cuda") return make_cuda_backend();
  if (device == "auto") {
    std::string why;
    if (cuda_available(&why)) {
      if (note) *note = "using the GPU: " + why;
      return make_cuda_backend();
    }
    // Without any NVIDIA GPU the CUDA runtime's reason ("no CUDA-capable device", or
    // "driver version is insufficient" where no driver is installed) or the build's only
    // obscures the plain fact; with one, the reason is what the user needs to fix.
    // --device cuda's error keeps the full reason either way.
    if (note) *note = (nvidia_gpu_present() ? why : "no NVIDIA GPU found") + ", training on the CPU";
    return make_cpu_backend(threads);
  }
  throw Error("unknown device '" + device + "' (expected auto, cpu or cuda)");
}

}  // namespace nnplay
