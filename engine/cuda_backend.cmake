# The optional CUDA backend. NNPLAY_CUDA = AUTO (on when nvcc is found), ON (required) or
# OFF. Targets sm_90 (H100) machine code plus compute_75 PTX, which newer GPUs JIT-compile.
# The backend is a separate static library linked into nnplay_engine, which then defines
# NNPLAY_HAVE_CUDA for the code that selects devices.
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
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/cuda_backend.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/data.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/elementwise.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/losses.cu
    ${CMAKE_CURRENT_LIST_DIR}/src/cuda/optim.cu)
  # The target was created before CUDA was enabled, so its CUDA properties are set here.
  set_target_properties(nnplay_engine PROPERTIES CUDA_STANDARD 20 CUDA_STANDARD_REQUIRED ON
                                                 CUDA_ARCHITECTURES "${CMAKE_CUDA_ARCHITECTURES}")
  target_compile_options(nnplay_engine PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--extended-lambda>)
  target_link_libraries(nnplay_engine PUBLIC CUDA::cudart CUDA::cublas)
  target_compile_definitions(nnplay_engine PRIVATE NNPLAY_HAVE_CUDA=1)
endif()
