// Reader for the IDX files of MNIST-like datasets (idx3 images, idx1 labels), raw or
// gzip-compressed. Every problem (missing, truncated, corrupt, wrong magic, counts that
// disagree, dimensions that overflow) throws Error naming the file and what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

// The whole file's bytes, inflated if it is gzip (detected by its magic bytes, not the
// name). A gzip stream that breaks off or fails its CRC is an error.
std::vector<uint8_t> read_file_bytes(const std::string& path);

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

}  // namespace nnplay
