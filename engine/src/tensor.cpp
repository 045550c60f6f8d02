// Tensor and Labels storage through the owning backend, and shape helpers.
#include "nnplay/tensor.h"

#include <limits>

#include "nnplay/backend.h"
#include "nnplay/error.h"

namespace nnplay {

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(s[i]);
  }
  return out + "]";
}

int64_t shape_numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0) throw Error("negative dimension in shape " + shape_str(s));
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / 4 / d)
      throw Error("shape " + shape_str(s) + " is too large (element count overflows)");
    n *= d;
  }
  return n;
}

namespace {
std::shared_ptr<void> backend_alloc(Backend& be, size_t bytes) {
  void* p = be.alloc(bytes);
  Backend* bp = &be;
  return std::shared_ptr<void>(p, [bp](void* q) { bp->release(q); });
}
}  // namespace

Tensor::Tensor(Backend& backend, Shape shape) : backend_(&backend) { resize(shape); }

Tensor Tensor::view(Backend& backend, float* data, Shape shape) {
  Tensor t;
  t.backend_ = &backend;
  t.data_ = data;
  t.numel_ = shape_numel(shape);
  t.capacity_ = t.numel_;
  t.shape_ = std::move(shape);
  return t;
}

void Tensor::resize(const Shape& shape) {
  int64_t n = shape_numel(shape);
  if (n > capacity_) {
    if (!backend_) throw Error("Tensor::resize: tensor has no backend");
    if (data_ && !storage_) throw Error("Tensor::resize: cannot grow a view from " + shape_str(shape_) + " to " +
                                        shape_str(shape));
    storage_ = backend_alloc(*backend_, static_cast<size_t>(n) * sizeof(float));
    data_ = static_cast<float*>(storage_.get());
    capacity_ = n;
  }
  shape_ = shape;
  numel_ = n;
}

std::vector<float> Tensor::to_host() const {
  std::vector<float> out(static_cast<size_t>(numel_));
  if (numel_) backend_->download(out.data(), data_, out.size() * sizeof(float));
  return out;
}

void Tensor::from_host(const float* src, int64_t n) {
  if (n != numel_)
    throw Error("Tensor::from_host: " + std::to_string(n) + " values for a tensor of shape " + shape_str(shape_));
  if (n) backend_->upload(data_, src, static_cast<size_t>(n) * sizeof(float));
}

void Tensor::fill(float value) {
  if (numel_) backend_->fill(data_, numel_, value);
}

Labels::Labels(Backend& backend, int64_t n) : backend_(&backend) { resize(n); }

void Labels::resize(int64_t n) {
  if (n < 0) throw Error("Labels::resize: negative size");
  if (n > capacity_) {
    storage_ = backend_alloc(*backend_, static_cast<size_t>(n) * sizeof(int32_t));
    data_ = static_cast<int32_t*>(storage_.get());
    capacity_ = n;
  }
  size_ = n;
}

void Labels::from_host(const int32_t* src, int64_t n) {
  resize(n);
  if (n) backend_->upload(data_, src, static_cast<size_t>(n) * sizeof(int32_t));
}

std::vector<int32_t> Labels::to_host() const {
  std::vector<int32_t> out(static_cast<size_t>(size_));
  if (size_) backend_->download(out.data(), data_, out.size() * sizeof(int32_t));
  return out;
}

}  // namespace nnplay
