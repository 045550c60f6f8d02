// The flat parameter buffer and its table of named views.
#include "nnplay/parameters.h"

#include "nnplay/error.h"

namespace nnplay {

int ParameterSet::declare(const std::string& name, const Shape& shape) {
  if (data_.numel() != 0) throw Error("ParameterSet: '" + name + "' declared after allocation");
  if (find(name)) throw Error("ParameterSet: duplicate parameter name '" + name + "'");
  int64_t n = shape_numel(shape);
  entries_.push_back(ParameterEntry{name, shape, total_, n});
  total_ += n;
  return static_cast<int>(entries_.size()) - 1;
}

void ParameterSet::allocate(Backend& backend) {
  data_ = Tensor(backend, {total_});
  grad_ = Tensor(backend, {total_});
}

const ParameterEntry* ParameterSet::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

Tensor ParameterSet::value_view(int index) {
  const ParameterEntry& e = entries_.at(static_cast<size_t>(index));
  return Tensor::view(*data_.backend(), data_.data() + e.offset, e.shape);
}

Tensor ParameterSet::grad_view(int index) {
  const ParameterEntry& e = entries_.at(static_cast<size_t>(index));
  return Tensor::view(*grad_.backend(), grad_.data() + e.offset, e.shape);
}

}  // namespace nnplay
