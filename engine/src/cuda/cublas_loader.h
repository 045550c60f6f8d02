// cuBLAS, opened at run time instead of linked: a program linked against libcublas maps
// it and the very large libcublasLt at start-up (about 150 MB of resident memory), even
// when it only ever trains on the CPU. The CUDA backend calls the six cuBLAS functions
// it needs through the pointers below, resolved with dlopen/dlsym when a GPU is found.
// The types and enums still come from cublas_v2.h; only the linking differs.
#pragma once

#include <cublas_v2.h>

#include <optional>
#include <string>
#include <vector>

namespace nnplay::cuda {

// The cuBLAS entry points the backend uses (cublas_v2.h maps cublasCreate, cublasDestroy,
// cublasSetStream, cublasSetWorkspace and cublasSgemm to their _v2 symbols; decltype keeps
// the signatures exactly the header's).
struct CublasApi {
  decltype(&cublasCreate) create = nullptr;
  decltype(&cublasDestroy) destroy = nullptr;
  decltype(&cublasSetMathMode) set_math_mode = nullptr;
  decltype(&cublasSetStream) set_stream = nullptr;
  decltype(&cublasSetWorkspace) set_workspace = nullptr;
  decltype(&cublasSgemm) sgemm = nullptr;
};

// The library names tried in order: the SONAME of the toolkit the engine was built with
// (found through LD_LIBRARY_PATH and the loader cache), then that toolkit's own copy.
std::vector<std::string> cublas_candidates();

// Opens the first candidate that loads and has all six functions. On failure returns
// nothing and sets why to one line naming each library tried and dlerror()'s text.
// A library that loads is never closed: cuBLAS handles may live until the process ends.
std::optional<CublasApi> load_cublas(const std::vector<std::string>& candidates, std::string* why);

// cuBLAS for this process: loaded on the first call (thread-safe), remembered after.
// nullptr when it cannot be loaded, with why saying why.
const CublasApi* cublas(std::string* why = nullptr);

}  // namespace nnplay::cuda
