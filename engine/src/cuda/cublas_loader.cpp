// Opening cuBLAS with dlopen when the CUDA backend needs it (see cublas_loader.h for why
// it is not linked). NNPLAY_CUBLAS_SONAME and NNPLAY_CUBLAS_DIR come from
// engine/cuda_backend.cmake: the toolkit's major version and library folder.
#include "cuda/cublas_loader.h"

#include <dlfcn.h>

namespace nnplay::cuda {

namespace {

// dlsym into a typed pointer; on failure appends dlerror()'s text to errors.
template <typename Fn>
bool resolve(void* lib, const char* symbol, Fn& out, std::string& errors) {
  dlerror();  // clear any earlier error so the check below sees this lookup's
  void* p = dlsym(lib, symbol);
  if (const char* err = dlerror(); err || !p) {
    errors += err ? err : std::string(symbol) + " is null";
    return false;
  }
  out = reinterpret_cast<Fn>(p);
  return true;
}

}  // namespace

std::vector<std::string> cublas_candidates() {
  return {NNPLAY_CUBLAS_SONAME, std::string(NNPLAY_CUBLAS_DIR) + "/" + NNPLAY_CUBLAS_SONAME};
}

std::optional<CublasApi> load_cublas(const std::vector<std::string>& candidates, std::string* why) {
  std::string errors;
  for (const std::string& name : candidates) {
    if (!errors.empty()) errors += "; ";
    // RTLD_NOW: a library missing its own dependencies (libcublasLt) fails here, with a
    // message, rather than at the first GEMM. RTLD_LOCAL: nothing else sees its symbols.
    void* lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* err = dlerror();
      errors += err ? err : name + ": dlopen failed";
      continue;
    }
    // The exported names: cublas_v2.h's macros map the unversioned names onto these.
    CublasApi api;
    if (resolve(lib, "cublasCreate_v2", api.create, errors) && resolve(lib, "cublasDestroy_v2", api.destroy, errors) &&
        resolve(lib, "cublasSetMathMode", api.set_math_mode, errors) &&
        resolve(lib, "cublasSetStream_v2", api.set_stream, errors) &&
        resolve(lib, "cublasSetWorkspace_v2", api.set_workspace, errors) &&
        resolve(lib, "cublasSgemm_v2", api.sgemm, errors))
      return api;
    dlclose(lib);  // an incomplete library is of no use; try the next one
  }
  // dlerror()'s texts start with the library's name or path, so this names each one tried.
  if (why) *why = "cannot load cuBLAS: " + errors;
  return std::nullopt;
}

const CublasApi* cublas(std::string* why) {
  // Loaded once: later calls (every backend, every cuda_available()) reuse the result,
  // the error included, instead of searching the disk again.
  struct Loaded {
    std::optional<CublasApi> api;
    std::string why;
  };
  static const Loaded loaded = [] {
    Loaded l;
    l.api = load_cublas(cublas_candidates(), &l.why);
    return l;
  }();
  if (!loaded.api) {
    if (why) *why = loaded.why;
    return nullptr;
  }
  return &*loaded.api;
}

}  // namespace nnplay::cuda
