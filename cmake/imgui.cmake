# Dear ImGui 1.86 core as the static library nnplay_imgui, compiled from the sources that
# scripts/fetch-third-party.sh unpacks into third_party/imgui-1.86 (never kept in git).
# Only the platform-independent core is here; the desktop and web mains add the SDL and
# OpenGL backends from the same folder in their own targets.
set(NNPLAY_IMGUI_DIR "${PROJECT_SOURCE_DIR}/third_party/imgui-1.86" CACHE PATH "Dear ImGui 1.86 sources")

if(NOT EXISTS "${NNPLAY_IMGUI_DIR}/imgui.cpp" OR NOT EXISTS "${NNPLAY_IMGUI_DIR}/imgui.h")
  message(FATAL_ERROR
    "Dear ImGui 1.86 sources not found in ${NNPLAY_IMGUI_DIR}.\n"
    "Run scripts/fetch-third-party.sh (scripts/setup.sh calls it) to fetch them, "
    "or configure with -DNNPLAY_BUILD_UI=OFF to build without the front end.")
endif()

if(NOT TARGET nnplay_imgui)
  add_library(nnplay_imgui STATIC
    ${NNPLAY_IMGUI_DIR}/imgui.cpp
    ${NNPLAY_IMGUI_DIR}/imgui_draw.cpp
    ${NNPLAY_IMGUI_DIR}/imgui_tables.cpp
    ${NNPLAY_IMGUI_DIR}/imgui_widgets.cpp
    ${NNPLAY_IMGUI_DIR}/imgui_demo.cpp)
  # SYSTEM: ImGui's own warnings are not nnplay's to fix (and must not trip -Werror).
  target_include_directories(nnplay_imgui SYSTEM PUBLIC ${NNPLAY_IMGUI_DIR})
  target_compile_options(nnplay_imgui PRIVATE -w)
  # No imgui.ini side files: the mains decide about persistence; the web has no disk.
  target_compile_definitions(nnplay_imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
  if(EMSCRIPTEN)
    # 32-bit vertex indices in the page. WebGL2 has no glDrawElementsBaseVertex, so ImGui's
    # renderer cannot offset 16-bit indices there, and a window whose draw list passes
    # 65,536 vertices (the one-step view's batch of 100 digits and its weight images)
    # would wrap around and draw garbage. The desktop's GL offsets them instead.
    target_compile_definitions(nnplay_imgui PUBLIC "ImDrawIdx=unsigned int")
  endif()
  if(NNPLAY_SANITIZE)
    # Same sanitizer runtime as the rest, so ASan sees ImGui's allocations too.
    target_compile_options(nnplay_imgui PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
  endif()
endif()
