// Evaluation of a model over a batch source, a batch at a time (see evaluator.h).
#include "nnplay/evaluator.h"

#include <algorithm>
#include <string>

#include "nnplay/error.h"

namespace nnplay {

Evaluator::Evaluator(Sequential& model, BatchSource& source, LossKind loss, int keep_outputs)
    : model_(model), source_(source), loss_(loss), keep_(std::max(0, keep_outputs)) {
  if (source.features() != model.in_features())
    throw Error("model takes " + std::to_string(model.in_features()) + " inputs but the data has " +
                std::to_string(source.features()) + " per sample");
  const int64_t outputs = model.out_features();
  r_.confusion = ConfusionMatrix(outputs == 1 ? 2 : int(outputs));
  source_.start_epoch();
}

void Evaluator::run_chunk() {
  if (done_) return;
  Batch b;
  if (!source_.next(b)) {
    for (size_t i = 0; i < r_.predictions.size(); ++i) r_.confusion.add(truth_[i], r_.predictions[i]);
    r_.loss = r_.count ? loss_sum_ / double(r_.count) : 0.0;
    r_.accuracy = r_.confusion.accuracy();
    truth_.clear();
    truth_.shrink_to_fit();
    done_ = true;
    return;
  }
  Backend& be = model_.backend();
  model_.set_training(false);
  const Tensor& out = model_.forward(*b.x);
  const int64_t n = b.size();
  loss_sum_ += double(be.loss_forward(loss_, out, b.targets, b.labels)) * double(n);
  const size_t at = r_.predictions.size();
  r_.predictions.resize(at + size_t(n));
  truth_.resize(at + size_t(n));
  if (out.dim(1) == 1) {
    host_ = out.to_host();
    for (int64_t i = 0; i < n; ++i) r_.predictions[at + size_t(i)] = host_[size_t(i)] > 0.5f ? 1 : 0;
  } else {
    be.argmax_rows(out, r_.predictions.data() + at);
  }
  if (b.labels) {
    const std::vector<int32_t> labels = b.labels->to_host();
    std::copy(labels.begin(), labels.end(), truth_.begin() + int64_t(at));
  } else {
    const std::vector<float> t = b.targets->to_host();
    for (int64_t i = 0; i < n; ++i) truth_[at + size_t(i)] = t[size_t(i * b.targets->dim(1))] > 0.5f ? 1 : 0;
  }
  if (int64_t(r_.first_outputs.size()) < int64_t(keep_) * out.dim(1)) {
    if (out.dim(1) != 1) host_ = out.to_host();
    const int64_t rows = std::min<int64_t>(n, keep_ - int64_t(r_.first_outputs.size()) / out.dim(1));
    r_.first_outputs.insert(r_.first_outputs.end(), host_.begin(), host_.begin() + rows * out.dim(1));
  }
  r_.count += n;
}

const EvalResult& Evaluator::run() {
  while (!done_) run_chunk();
  return r_;
}

}  // namespace nnplay
