// The safetensors file format, read and written as float32 tensors.
//
// Layout: an 8-byte little-endian header length N, N bytes of JSON, then the raw
// little-endian tensor bytes. The JSON maps each tensor name to
// {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the start of the
// data section) and may hold "__metadata__", a map of strings to strings.
//
// The reader trusts nothing in the file: every length, offset, dtype and value is
// checked before use, and any problem throws one nnplay::Error naming the file and what
// is wrong. F32 is read as is; F16 and BF16 are widened to float32; other dtypes are
// refused. The writer writes F32 only, pads the header with spaces to a multiple of 8
// (as the reference implementation does) and replaces the target file atomically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nnplay/tensor.h"

namespace nnplay {

using Metadata = std::map<std::string, std::string>;

// One tensor as read from a file, converted to float32.
struct StTensor {
  std::string name;
  std::string dtype;  // as stored: "F32", "F16" or "BF16"
  Shape shape;
  std::vector<float> values;  // numel(shape) floats, row-major
};

struct StFile {
  std::string source;              // the path (or a label) used in error messages
  Metadata metadata;               // empty when the file has no "__metadata__"
  bool has_metadata = false;
  std::vector<StTensor> tensors;   // in data-section order
  const StTensor* find(const std::string& name) const;  // null when absent
};

// What the writer takes: a name, a shape and numel(shape) floats in host memory.
struct StTensorRef {
  std::string name;
  Shape shape;
  const float* data;
};

// Limits the reader enforces (the header limit is the reference implementation's).
constexpr uint64_t kStMaxHeaderBytes = 100'000'000;
constexpr size_t kStMaxRank = 8;

// Parses a whole file held in memory. `source` names it in error messages.
StFile parse_safetensors(const uint8_t* bytes, size_t size, const std::string& source);
// Reads and parses a file.
StFile read_safetensors(const std::string& path);

// The complete file image (header, padding, data) for these tensors, in this order.
// Throws Error on a duplicate or empty name, a reserved name, a non-finite value, or a
// metadata key that collides with the format's own.
std::vector<uint8_t> serialize_safetensors(const std::vector<StTensorRef>& tensors, const Metadata& metadata);
// serialize_safetensors, then an atomic replace of `path` (see atomic_file.h).
void write_safetensors(const std::string& path, const std::vector<StTensorRef>& tensors, const Metadata& metadata);

}  // namespace nnplay
