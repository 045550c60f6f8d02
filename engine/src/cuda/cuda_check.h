// Checking every CUDA runtime and cuBLAS call: a failure throws nnplay::Error naming the
// file, the line, the call and CUDA's own error string; running out of device memory is
// reported as such. Kernel launches are followed by NNPLAY_CUDA_CHECK_LAUNCH().
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "nnplay/error.h"

namespace nnplay::cuda {

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* call, const char* file, int line) {
  std::string what = std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " +
                     cudaGetErrorName(err) + " (" + cudaGetErrorString(err) + ")";
  if (err == cudaErrorMemoryAllocation) what = "out of device memory: " + what;
  throw Error(what);
}

inline const char* cublas_status_name(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED (out of device memory)";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    default: return "unknown cuBLAS status";
  }
}

[[noreturn]] inline void throw_cublas_error(cublasStatus_t s, const char* call, const char* file, int line) {
  throw Error(std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " + cublas_status_name(s));
}

}  // namespace nnplay::cuda

#define NNPLAY_CUDA_CHECK(call)                                                         \
  do {                                                                                   \
    cudaError_t nnplay_err_ = (call);                                                    \
    if (nnplay_err_ != cudaSuccess) ::nnplay::cuda::throw_cuda_error(nnplay_err_, #call, __FILE__, __LINE__); \
  } while (0)

#define NNPLAY_CUBLAS_CHECK(call)                                                       \
  do {                                                                                   \
    cublasStatus_t nnplay_st_ = (call);                                                  \
    if (nnplay_st_ != CUBLAS_STATUS_SUCCESS) ::nnplay::cuda::throw_cublas_error(nnplay_st_, #call, __FILE__, __LINE__); \
  } while (0)

#define NNPLAY_CUDA_CHECK_LAUNCH() NNPLAY_CUDA_CHECK(cudaGetLastError())

#define NNPLAY_CEIL_DIV(a, b) (((a) + (b) - 1) / (b))
