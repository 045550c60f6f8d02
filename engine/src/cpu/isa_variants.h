// isa_variants.h - what the GEMM's and the row kernels' dispatchers share: whether this
// CPU runs an x86 extension, and picking a variant of a kernel table by its name.
// Included only by the dispatchers (compiled without ISA flags), never by a kernel TU.
#pragma once

#include <cstring>

namespace nnplay::cpu::detail {

#if (defined(__x86_64__) || defined(__i386__)) && !defined(__EMSCRIPTEN__)
// "avx512f", "avx2" or "fma"; false for anything else.
inline bool cpu_has(const char* feature) {
  __builtin_cpu_init();  // checks the OS enabled the registers too (XGETBV)
  if (std::strcmp(feature, "avx512f") == 0) return __builtin_cpu_supports("avx512f");
  if (std::strcmp(feature, "avx2") == 0) return __builtin_cpu_supports("avx2");
  if (std::strcmp(feature, "fma") == 0) return __builtin_cpu_supports("fma");
  return false;
}
#endif

// The variant among the n usable ones (each with a `name`) called name, or nullptr.
template <typename Kernel>
const Kernel* variant_named(const Kernel* const* usable, int n, const char* name) {
  for (int i = 0; i < n; ++i)
    if (std::strcmp(usable[i]->name, name) == 0) return usable[i];
  return nullptr;
}

}  // namespace nnplay::cpu::detail
