# The optional CUDA backend. NNPLAY_CUDA = AUTO (on when nvcc is found), ON (required) or
# OFF. Targets sm_90 (H100) machine code plus compute_75 PTX, which newer GPUs JIT-compile.
# The backend's sources are compiled into nnplay_engine, which then defines
# NNPLAY_HAVE_CUDA for the code that selects devices. No CUDA shared library is linked:
# the runtime is static (it opens the driver, libcuda.so.1, itself when first used) and
# cuBLAS is opened with dlopen once a GPU is found, so CPU-only runs map neither.
set(NNPLAY_CUDA AUTO CACHE STRING "Build the CUDA backend: AUTO, ON or OFF")
set_property(CACHE NNPLAY_CUDA PROPERTY STRINGS AUTO ON OFF)

set(NNPLAY_HAVE_CUDA OFF)
if(NOT NNPLAY_CUDA STREQUAL "OFF" AND NOT EMSCRIPTEN)
  if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES "90-real;75-virtual")
    endif()
    enable_language(CUDA)
    # CMake 3.25 predates nvcc's C++20 support and knows no flag for it: teach it.
    if(NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
      set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
      set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
    endif()
    find_package(CUDAToolkit REQUIRED)
    set(NNPLAY_HAVE_CUDA ON)
    message(STATUS "nnplay: CUDA backend ON (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${CMAKE_CUDA_ARCHITECTURES})")
  elseif(NNPLAY_CUDA STREQUAL "ON")
    message(FATAL_ERROR "NNPLAY_CUDA=ON but no CUDA compiler (nvcc) was found")
  else()
    message(STATUS "nnplay: CUDA not found, building CPU only")
  endif()
else()
  message(STATUS "nnplay: CUDA backend OFF")
endif()

if(NNPLAY_HAVE_CUDA)
  # The .cu files are compiled into nnplay_engine itself: they use the engine's tensors
  # and the engine calls them, so a separate static library would be a link cycle.
  target_sources(nnplay_engine PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/cublas_loader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/cuda_backend.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/conv.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/data.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/elementwise.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/losses.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/optim.cu)
  # The target was created before CUDA was enabled, so its CUDA properties are set here.
  set_target_properties(nnplay_engine PROPERTIES CUDA_STANDARD 20 CUDA_STANDARD_REQUIRED ON
                                                 CUDA_ARCHITECTURES "${CMAKE_CUDA_ARCHITECTURES}")
  target_compile_options(nnplay_engine PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--extended-lambda>)
  # Linking libcudart/libcublas (and with it the huge libcublasLt) cost every run about
  # 150 MB of resident memory, GPU or not. The static runtime costs about 1 MB; it is
  # pinned here so that a CMAKE_CUDA_RUNTIME_LIBRARY=Shared cannot bring libcudart back.
  set_target_properties(nnplay_engine PROPERTIES CUDA_RUNTIME_LIBRARY Static)
  target_link_libraries(nnplay_engine PUBLIC CUDA::cudart_static PRIVATE ${CMAKE_DL_LIBS})
  target_compile_definitions(nnplay_engine PRIVATE NNPLAY_HAVE_CUDA=1)
  # cuBLAS at run time (src/cuda/cublas_loader.cpp): by the SONAME of this toolkit's major
  # version, found through LD_LIBRARY_PATH and the loader cache, else this toolkit's own
  # copy in its library folder.
  set(NNPLAY_CUBLAS_SONAME "libcublas.so.${CUDAToolkit_VERSION_MAJOR}")
  set(NNPLAY_CUBLAS_DIR "${CUDAToolkit_LIBRARY_DIR}")
  if(NOT EXISTS "${NNPLAY_CUBLAS_DIR}/${NNPLAY_CUBLAS_SONAME}" AND CUDA_cublas_LIBRARY)
    # Toolkits that keep the math libraries apart from the runtime (NVHPC's math_libs/).
    get_filename_component(_nnplay_cublas_dir "${CUDA_cublas_LIBRARY}" DIRECTORY)
    if(EXISTS "${_nnplay_cublas_dir}/${NNPLAY_CUBLAS_SONAME}")
      set(NNPLAY_CUBLAS_DIR "${_nnplay_cublas_dir}")
    endif()
  endif()
  if(NOT EXISTS "${NNPLAY_CUBLAS_DIR}/${NNPLAY_CUBLAS_SONAME}")
    message(WARNING "nnplay: ${NNPLAY_CUBLAS_DIR}/${NNPLAY_CUBLAS_SONAME} does not exist: the CUDA backend will "
                    "need ${NNPLAY_CUBLAS_SONAME} on LD_LIBRARY_PATH or in the loader cache at run time")
  endif()
  set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/src/cuda/cublas_loader.cpp APPEND PROPERTY COMPILE_DEFINITIONS
               NNPLAY_CUBLAS_SONAME="${NNPLAY_CUBLAS_SONAME}" NNPLAY_CUBLAS_DIR="${NNPLAY_CUBLAS_DIR}")
  message(STATUS "nnplay: cuBLAS is opened at run time as ${NNPLAY_CUBLAS_SONAME}, else from ${NNPLAY_CUBLAS_DIR}")
endif()
