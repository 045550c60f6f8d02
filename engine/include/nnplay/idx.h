// Reader for the IDX files of MNIST-like datasets (idx3 images, idx1 labels), raw or
// gzip-compressed. Every problem (missing, truncated, corrupt, wrong magic, counts that
// disagree, dimensions that overflow) throws Error naming the file and what is wrong.
// Memory is bounded by the header: a gzip stream that inflates to more than its header
// promises fails at the first extra byte, and a header that promises more than the file
// can hold (or more than 2 GiB) fails before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

// The whole file's bytes, inflated if it is gzip (detected by its magic bytes, not the
// name). A gzip stream that breaks off, fails its CRC or inflates to more than
// max_inflated bytes (256 MiB unless given; far more than any MNIST model) is an error.
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_inflated = uint64_t(256) << 20);

struct IdxImages {
  int64_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols
};
struct IdxLabels {
  int64_t count = 0;
  std::vector<uint8_t> labels;
};

IdxImages read_idx_images(const std::string& path);  // magic 0x00000803
IdxLabels read_idx_labels(const std::string& path);  // magic 0x00000801

// The same from a file's bytes in memory (raw or gzip); `name` names them in errors.
IdxImages parse_idx_images(const uint8_t* data, size_t size, const std::string& name);
IdxLabels parse_idx_labels(const uint8_t* data, size_t size, const std::string& name);

}  // namespace nnplay
