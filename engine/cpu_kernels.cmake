# cpu_kernels.cmake - sources of the CPU GEMM and its thread pool, with the
# per-file compile flags of the kernel variants.
#
#   include(engine/cpu_kernels.cmake)
#   add_library(nnplay_engine ... ${NNPLAY_CPU_KERNEL_SOURCES})
#   target_link_libraries(nnplay_engine PRIVATE Threads::Threads)  # native builds
#
# The micro-kernel is one source (src/cpu/gemm_kernel_impl.h) compiled once per
# instruction set: gemm_kernel_portable.cpp with the target's default flags
# (SSE2 on x86-64, NEON on AArch64, SIMD128 under Emscripten with -msimd128), and
# on x86-64 also gemm_kernel_avx2.cpp (-mavx2 -mfma) and gemm_kernel_avx512.cpp
# (-mavx512f -mfma). gemm_fast.cpp picks one at run time with
# __builtin_cpu_supports, so the binary still runs on CPUs without AVX2/AVX-512.
# The row kernels (row_kernel_<isa>.cpp: byte-to-float conversion, exp in double) are
# built the same way, dispatched by row_kernels.cpp.
# Only these files get ISA flags; nothing else in the engine may (it would then
# crash on older CPUs).
#
# Source file properties are scoped to the directory that includes this file:
# create nnplay_engine in that same directory (the top level does).

set(NNPLAY_CPU_KERNEL_DIR ${CMAKE_CURRENT_LIST_DIR}/src/cpu)

set(NNPLAY_CPU_KERNEL_SOURCES
  ${NNPLAY_CPU_KERNEL_DIR}/gemm_ref.cpp
  ${NNPLAY_CPU_KERNEL_DIR}/gemm_fast.cpp
  ${NNPLAY_CPU_KERNEL_DIR}/gemm_kernel_portable.cpp
  ${NNPLAY_CPU_KERNEL_DIR}/row_kernels.cpp
  ${NNPLAY_CPU_KERNEL_DIR}/row_kernel_portable.cpp
  ${NNPLAY_CPU_KERNEL_DIR}/thread_pool.cpp)

# The kernels rely on FMA contraction of `acc += a * b` on vector types; make
# it explicit rather than depend on the compiler's default for the -std mode.
set(_nnplay_contract "")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set(_nnplay_contract "-ffp-contract=fast")
endif()

set(_nnplay_portable_flags ${_nnplay_contract})
if(EMSCRIPTEN)
  # Only the portable kernel exists in the browser; with SIMD128 its 16-byte
  # vectors become f32x4 instructions (all current browsers support them).
  option(NNPLAY_WASM_SIMD "Compile the WebAssembly GEMM kernel with -msimd128" ON)
  if(NNPLAY_WASM_SIMD)
    list(APPEND _nnplay_portable_flags -msimd128)
  endif()
endif()
set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/gemm_kernel_portable.cpp
  PROPERTIES COMPILE_OPTIONS "${_nnplay_portable_flags}")

# The row kernels (row_kernel_impl.h) must give the same bits in every variant, so no
# FMA contraction there: each multiply and add rounds on its own, as in the portable one.
set(_nnplay_no_contract "")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set(_nnplay_no_contract "-ffp-contract=off")
endif()
set(_nnplay_row_portable_flags ${_nnplay_no_contract})
if(EMSCRIPTEN AND NNPLAY_WASM_SIMD)
  list(APPEND _nnplay_row_portable_flags -msimd128)
endif()
set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/row_kernel_portable.cpp
  PROPERTIES COMPILE_OPTIONS "${_nnplay_row_portable_flags}")

set(_nnplay_x86 0)
if(NOT EMSCRIPTEN
   AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang"
   AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|x86|i[3-6]86)$")
  set(_nnplay_x86 1)
  list(APPEND NNPLAY_CPU_KERNEL_SOURCES
    ${NNPLAY_CPU_KERNEL_DIR}/gemm_kernel_avx2.cpp
    ${NNPLAY_CPU_KERNEL_DIR}/gemm_kernel_avx512.cpp
    ${NNPLAY_CPU_KERNEL_DIR}/row_kernel_avx2.cpp
    ${NNPLAY_CPU_KERNEL_DIR}/row_kernel_avx512.cpp)
  set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/gemm_kernel_avx2.cpp
    PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma;${_nnplay_contract}")
  set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/gemm_kernel_avx512.cpp
    PROPERTIES COMPILE_OPTIONS "-mavx512f;-mfma;${_nnplay_contract}")
  set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/row_kernel_avx2.cpp
    PROPERTIES COMPILE_OPTIONS "-mavx2;${_nnplay_no_contract}")
  set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/row_kernel_avx512.cpp
    PROPERTIES COMPILE_OPTIONS "-mavx512f;${_nnplay_no_contract}")
endif()
# Tells gemm_fast.cpp whether the x86 variants are linked in.
set_source_files_properties(${NNPLAY_CPU_KERNEL_DIR}/gemm_fast.cpp ${NNPLAY_CPU_KERNEL_DIR}/row_kernels.cpp
  PROPERTIES COMPILE_DEFINITIONS NNPLAY_GEMM_X86_KERNELS=${_nnplay_x86})

unset(_nnplay_contract)
unset(_nnplay_no_contract)
unset(_nnplay_row_portable_flags)
unset(_nnplay_x86)
unset(_nnplay_portable_flags)
