// Force-included into every C++ file of the `web` preset (CMakePresets.json): fills the
// gaps between C++20 and the libc++ 13 that Debian's Emscripten 3.1.6 ships, so the
// engine's standard C++20 compiles unchanged for WebAssembly. Each fill-in exists only
// while the library lacks it, so a newer Emscripten simply ignores this file.
#pragma once

#ifdef __cplusplus
#include <version>

#if defined(_LIBCPP_VERSION) && !defined(__cpp_lib_bit_cast)
#include <type_traits>
namespace std {
// std::bit_cast (C++20, <bit>): libc++ gained it in version 14; the compiler builtin
// does the same thing, constexpr included.
template <class To, class From>
  requires(sizeof(To) == sizeof(From) && is_trivially_copyable_v<To> && is_trivially_copyable_v<From>)
constexpr To bit_cast(const From& from) noexcept {
  return __builtin_bit_cast(To, from);
}
}  // namespace std
#endif
#endif
