// All of a model's parameters in one contiguous buffer, with named views into it.
//
// One table of {name, shape, offset} drives allocation, iteration, initialisation and
// the names in weight files (PyTorch's state_dict names: "0.weight", "0.bias", ...).
// Gradients and optimizer state use the same layout, so an optimizer step is one flat
// loop and a weights file is a header plus offsets over this buffer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/tensor.h"

namespace nnplay {

struct ParameterEntry {
  std::string name;  // "0.weight"
  Shape shape;       // [out, in]
  int64_t offset;    // in floats, into the flat buffer
  int64_t numel;
};

class ParameterSet {
 public:
  // Declares a parameter before allocate(); returns its index in the table.
  int declare(const std::string& name, const Shape& shape);
  void allocate(Backend& backend);  // the buffer and the gradients, zeroed

  const std::vector<ParameterEntry>& entries() const { return entries_; }
  const ParameterEntry* find(const std::string& name) const;
  int64_t total() const { return total_; }

  Tensor& data() { return data_; }
  const Tensor& data() const { return data_; }
  Tensor& grad() { return grad_; }
  const Tensor& grad() const { return grad_; }

  Tensor value_view(int index);  // a view of one parameter in the buffer
  Tensor grad_view(int index);

  void zero_grad() { grad_.fill(0.0f); }

 private:
  std::vector<ParameterEntry> entries_;
  int64_t total_ = 0;
  Tensor data_;
  Tensor grad_;
};

}  // namespace nnplay
