// The row kernels' run-time dispatch (the best variant the binary has and the CPU runs)
// and the cross-entropy built on the vector exp.
#include "cpu/row_kernels.h"

#include <atomic>
#include <vector>

#include "cpu/isa_variants.h"
#include "cpu/row_kernel.h"
#include "nnplay/softmax.h"

// Whether row_kernel_avx2.cpp / row_kernel_avx512.cpp are linked in (cpu_kernels.cmake
// sets it, as for the GEMM's variants).
#ifndef NNPLAY_GEMM_X86_KERNELS
#define NNPLAY_GEMM_X86_KERNELS 0
#endif

namespace nnplay::cpu {

namespace {

using detail::RowKernel;

int usable_kernels(const RowKernel* out[3]) {
  int n = 0;
#if NNPLAY_GEMM_X86_KERNELS
  if (const RowKernel* k = detail::row_kernel_avx512(); k && detail::cpu_has("avx512f")) out[n++] = k;
  if (const RowKernel* k = detail::row_kernel_avx2(); k && detail::cpu_has("avx2")) out[n++] = k;
#endif
  out[n++] = detail::row_kernel_portable();
  return n;
}

std::atomic<const RowKernel*> g_kernel{nullptr};

const RowKernel& active() {
  const RowKernel* k = g_kernel.load(std::memory_order_acquire);
  if (!k) {
    const RowKernel* ks[3];
    usable_kernels(ks);
    k = ks[0];  // the same every time, so a race here is harmless
    g_kernel.store(k, std::memory_order_release);
  }
  return *k;
}

}  // namespace

void convert_u8_to_float(const uint8_t* src, float* dst, int64_t n, float scale) {
  active().convert_u8(src, dst, n, scale);
}

void exp_f64(const double* x, double* y, int64_t n) { active().exp_f64(x, y, n); }

const char* row_kernel_name() { return active().name; }

bool row_select_kernel(const char* name) {
  if (!name || !*name) {
    g_kernel.store(nullptr, std::memory_order_release);
    return true;
  }
  const RowKernel* ks[3];
  const RowKernel* k = detail::variant_named(ks, usable_kernels(ks), name);
  if (k) g_kernel.store(k, std::memory_order_release);
  return k != nullptr;
}

float cross_entropy_fast(const float* z, const int32_t* labels, float* dz, int n, int c) {
  check_labels(labels, n, c, "cross_entropy");
  if (n == 0) return 0.0f;
  // Scratch kept between calls: a training step allocates nothing.
  thread_local std::vector<double> scratch;
  const size_t need = 2 * size_t(n) * size_t(c) + size_t(n);
  if (scratch.size() < need) scratch.resize(need);
  return static_cast<float>(active().cross_entropy(z, labels, dz, n, c, scratch.data()));
}

}  // namespace nnplay::cpu
