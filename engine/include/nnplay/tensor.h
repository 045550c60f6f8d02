// float32 tensors with a shape, stored in memory that a Backend owns.
//
// A Tensor either owns its storage (allocated through its backend) or is a view into
// someone else's (the model's parameter buffer hands out views). Tensors are row-major
// and contiguous; that is all the engine's models need, so there are no strides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace nnplay {

class Backend;

using Shape = std::vector<int64_t>;

std::string shape_str(const Shape& s);  // "[100, 784]"
int64_t shape_numel(const Shape& s);    // throws Error if the product overflows

class Tensor {
 public:
  Tensor() = default;
  Tensor(Backend& backend, Shape shape);  // allocates, contents zero

  // A non-owning view of numel(shape) floats at data (memory of the same backend).
  static Tensor view(Backend& backend, float* data, Shape shape);

  float* data() { return data_; }
  const float* data() const { return data_; }
  const Shape& shape() const { return shape_; }
  int64_t dim(int i) const { return shape_.at(static_cast<size_t>(i)); }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t numel() const { return numel_; }
  bool empty() const { return numel_ == 0; }
  Backend* backend() const { return backend_; }

  // Changes the shape; reallocates only when more room is needed than ever before, so a
  // training loop that alternates full and last-partial batches does not allocate.
  void resize(const Shape& shape);

  std::vector<float> to_host() const;
  void from_host(const float* src, int64_t n);
  void from_host(const std::vector<float>& src) { from_host(src.data(), static_cast<int64_t>(src.size())); }
  void fill(float value);

 private:
  Backend* backend_ = nullptr;
  std::shared_ptr<void> storage_;  // null for views
  float* data_ = nullptr;
  Shape shape_;
  int64_t numel_ = 0;
  int64_t capacity_ = 0;
};

// Class indices (int32) in a backend's memory: the targets of cross-entropy and NLL.
class Labels {
 public:
  Labels() = default;
  Labels(Backend& backend, int64_t n);
  int32_t* data() { return data_; }
  const int32_t* data() const { return data_; }
  int64_t size() const { return size_; }
  void resize(int64_t n);
  void from_host(const int32_t* src, int64_t n);
  std::vector<int32_t> to_host() const;

 private:
  Backend* backend_ = nullptr;
  std::shared_ptr<void> storage_;
  int32_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
};

}  // namespace nnplay
