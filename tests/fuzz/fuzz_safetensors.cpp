// libFuzzer target: the safetensors reader, and the architecture inference behind it, on
// arbitrary bytes. The only acceptable outcomes are a parsed file or an nnplay::Error;
// a crash, a sanitizer report or any other exception is a bug. Built and run by
// scripts/fuzz-safetensors.sh.
#include <cstddef>
#include <cstdint>

#include "nnplay/error.h"
#include "nnplay/model_file.h"
#include "nnplay/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    nnplay::StFile file = nnplay::parse_safetensors(data, size, "fuzz");
    nnplay::model_architecture(file);
  } catch (const nnplay::Error&) {
  }
  return 0;
}
