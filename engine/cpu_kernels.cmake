# CPU kernel sources of the engine: the reference GEMM, the fast GEMM with one
# micro-kernel per instruction set (chosen at run time), and the thread pool.
set(NNPLAY_CPU_KERNEL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_ref.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_fast.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_kernel_portable.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/cpu/thread_pool.cpp)
if(NOT EMSCRIPTEN AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  list(APPEND NNPLAY_CPU_KERNEL_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_kernel_avx2.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_kernel_avx512.cpp)
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_kernel_avx2.cpp PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/src/cpu/gemm_kernel_avx512.cpp PROPERTIES COMPILE_OPTIONS "-mavx512f;-mavx512dq;-mavx512vl;-mavx2;-mfma")
endif()
