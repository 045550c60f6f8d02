# Dear ImGui's SDL2 platform backend and OpenGL 3 renderer backend as the static library
# nnplay_imgui_backends, for the two mains (native/app desktop, web/ page). The sources
# come from the same third_party/imgui-1.86 as the core (cmake/imgui.cmake).
#   Desktop: Debian's SDL2, desktop OpenGL 3 (the backend loads GL itself at run time).
#   Web:     SDL2 built for WebAssembly by scripts/build-sdl2-wasm.sh (emcc's -sUSE_SDL=2
#            would download it), WebGL2 = GLES 3.0, so IMGUI_IMPL_OPENGL_ES3 picks
#            "#version 300 es" shaders.
# Included by native/app and web/; only one of them is configured in a given build tree.
if(TARGET nnplay_imgui_backends)
  return()
endif()
if(NOT TARGET nnplay_imgui)
  message(FATAL_ERROR "cmake/imgui_backends.cmake needs the ImGui core target nnplay_imgui (cmake/imgui.cmake)")
endif()

if(EMSCRIPTEN)
  set(NNPLAY_SDL2_WASM_DIR "${PROJECT_SOURCE_DIR}/third_party/sdl2-wasm" CACHE PATH
      "SDL2 built for WebAssembly (scripts/build-sdl2-wasm.sh)")
  if(NOT EXISTS "${NNPLAY_SDL2_WASM_DIR}/lib/libSDL2.a")
    message(FATAL_ERROR "SDL2 for WebAssembly not found in ${NNPLAY_SDL2_WASM_DIR}.\n"
                        "Run scripts/build-sdl2-wasm.sh (scripts/setup.sh calls it).")
  endif()
  add_library(nnplay_sdl2 INTERFACE)
  # Not SYSTEM: emcc puts its own SDL 1 headers on the system include path, and an -I
  # folder is searched before those, so <SDL.h> is SDL2's.
  target_include_directories(nnplay_sdl2 INTERFACE "${NNPLAY_SDL2_WASM_DIR}/include/SDL2")
  target_link_libraries(nnplay_sdl2 INTERFACE "${NNPLAY_SDL2_WASM_DIR}/lib/libSDL2.a")
  # WebGL2 only: WebGL1 lacks what the GLES3 shaders need; the page reports its absence.
  target_link_options(nnplay_sdl2 INTERFACE -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2)
else()
  find_package(SDL2 REQUIRED)
  add_library(nnplay_sdl2 INTERFACE)
  target_link_libraries(nnplay_sdl2 INTERFACE SDL2::SDL2)
endif()

add_library(nnplay_imgui_backends STATIC
  ${NNPLAY_IMGUI_DIR}/backends/imgui_impl_sdl.cpp
  ${NNPLAY_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(nnplay_imgui_backends SYSTEM PUBLIC ${NNPLAY_IMGUI_DIR}/backends)
target_link_libraries(nnplay_imgui_backends PUBLIC nnplay_imgui nnplay_sdl2 ${CMAKE_DL_LIBS})
if(EMSCRIPTEN)
  target_compile_definitions(nnplay_imgui_backends PUBLIC IMGUI_IMPL_OPENGL_ES3)
endif()
if(NNPLAY_SANITIZE)
  target_compile_options(nnplay_imgui_backends PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
endif()
