// A CPU backend that behaves like a device one, for testing the trainer's device path
// without a GPU: it says its memory is not the host's (so the batch loader uploads the
// dataset and each epoch's order to it), and it records like CUDA Graphs do: between
// begin_recording() and end_recording() each op is stored with its arguments (tensors by
// value: their buffers and shapes as they were) instead of run, and replay() runs them
// again with the optimizer steps shifted. Like the CUDA backend it refuses, while
// recording, anything that waits for the host or allocates, and it invalidates
// recordings when memory is allocated or released after them.
#pragma once

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/device_steps.h"
#include "nnplay/error.h"

namespace nnplay::test {

class RecordingCpuBackend final : public Backend, public DeviceSteps {
 public:
  RecordingCpuBackend() : cpu_(make_cpu_backend(1)) {}

  const char* name() const override { return "cpu-recording"; }
  DeviceSteps* device_steps() override { return this; }
  bool uses_host_memory() const override { return false; }

  void* alloc(size_t bytes) override {
    refuse("alloc");
    ++generation_;
    return cpu_->alloc(bytes);
  }
  void release(void* p) override {
    ++generation_;
    cpu_->release(p);
  }
  void upload(void* dst, const void* src, size_t bytes) override {
    refuse("upload");
    cpu_->upload(dst, src, bytes);
  }
  void download(void* dst, const void* src, size_t bytes) override {
    refuse("download");
    cpu_->download(dst, src, bytes);
  }
  void fill(float* dst, int64_t n, float value) override {
    if (!recording_) return cpu_->fill(dst, n, value);
    record([=, this] { cpu_->fill(dst, n, value); });
  }
  void linear_forward(const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    if (!recording_) return cpu_->linear_forward(x, W, b, y);
    record([=, this]() mutable { cpu_->linear_forward(x, W, b, y); });
  }
  void linear_backward(const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx, Tensor& dW,
                       Tensor& db) override {
    if (!recording_) return cpu_->linear_backward(x, W, dy, dx, dW, db);
    Tensor dx_copy = dx ? *dx : Tensor();
    const bool has_dx = dx != nullptr;
    record([=, this]() mutable { cpu_->linear_backward(x, W, dy, has_dx ? &dx_copy : nullptr, dW, db); });
  }
  void activation_forward(Activation a, const Tensor& x, Tensor& y) override {
    if (!recording_) return cpu_->activation_forward(a, x, y);
    record([=, this]() mutable { cpu_->activation_forward(a, x, y); });
  }
  void activation_backward(Activation a, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override {
    if (!recording_) return cpu_->activation_backward(a, x, y, dy, dx);
    record([=, this]() mutable { cpu_->activation_backward(a, x, y, dy, dx); });
  }
  void bias_activation_forward(Activation a, Tensor& z, const Tensor& b, Tensor& y) override {
    if (!recording_) return cpu_->bias_activation_forward(a, z, b, y);
    record([=, this]() mutable { cpu_->bias_activation_forward(a, z, b, y); });
  }
  void activation_bias_backward(Activation a, const Tensor& z, const Tensor& y, const Tensor& dy, Tensor& dz,
                                Tensor& db) override {
    if (!recording_) return cpu_->activation_bias_backward(a, z, y, dy, dz, db);
    record([=, this]() mutable { cpu_->activation_bias_backward(a, z, y, dy, dz, db); });
  }
  void conv2d_forward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    if (!recording_) return cpu_->conv2d_forward(g, x, W, b, y);
    record([=, this]() mutable { cpu_->conv2d_forward(g, x, W, b, y); });
  }
  void conv2d_backward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx,
                       Tensor& dW, Tensor& db) override {
    if (!recording_) return cpu_->conv2d_backward(g, x, W, dy, dx, dW, db);
    Tensor dx_copy = dx ? *dx : Tensor();
    const bool has_dx = dx != nullptr;
    record([=, this]() mutable { cpu_->conv2d_backward(g, x, W, dy, has_dx ? &dx_copy : nullptr, dW, db); });
  }
  void maxpool2d_forward(const Pool2dGeometry& g, const Tensor& x, Tensor& y) override {
    if (!recording_) return cpu_->maxpool2d_forward(g, x, y);
    record([=, this]() mutable { cpu_->maxpool2d_forward(g, x, y); });
  }
  void maxpool2d_backward(const Pool2dGeometry& g, const Tensor& x, const Tensor& dy, Tensor& dx) override {
    if (!recording_) return cpu_->maxpool2d_backward(g, x, dy, dx);
    record([=, this]() mutable { cpu_->maxpool2d_backward(g, x, dy, dx); });
  }
  void dropout_forward(const Tensor& x, const Tensor& mask, Tensor& y) override {
    if (!recording_) return cpu_->dropout_forward(x, mask, y);
    record([=, this]() mutable { cpu_->dropout_forward(x, mask, y); });
  }
  void dropout_backward(const Tensor& dy, const Tensor& mask, Tensor& dx) override {
    if (!recording_) return cpu_->dropout_backward(dy, mask, dx);
    record([=, this]() mutable { cpu_->dropout_backward(dy, mask, dx); });
  }
  float loss_forward_backward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels,
                              Tensor& dpred) override {
    refuse("loss_forward_backward");
    return cpu_->loss_forward_backward(kind, pred, targets, labels, dpred);
  }
  float loss_forward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels) override {
    refuse("loss_forward");
    return cpu_->loss_forward(kind, pred, targets, labels);
  }
  void loss_forward_backward_logged(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels,
                                    Tensor& dpred, StepLog& log, int64_t i) override {
    if (!recording_) return logged_on_cpu(kind, pred, targets, labels, dpred, log, i);
    const Labels labels_copy = labels ? *labels : Labels();
    const Tensor targets_copy = targets ? *targets : Tensor();
    const bool has_labels = labels != nullptr, has_targets = targets != nullptr;
    StepLog log_copy = log;
    record([=, this]() mutable {
      logged_on_cpu(kind, pred, has_targets ? &targets_copy : nullptr, has_labels ? &labels_copy : nullptr, dpred,
                    log_copy, i);
    });
  }
  void sgd_step(const SgdParams& p, long step, Tensor& params, const Tensor& grads, Tensor& buf,
                const int32_t* halt) override {
    if (!recording_) return cpu_->sgd_step(p, step, params, grads, buf, halt);
    // The step number is completed at replay, as the CUDA backend does on the device.
    record([=, this]() mutable { cpu_->sgd_step(p, step + shift_, params, grads, buf, halt); });
  }
  void adam_step(const AdamParams& p, long step, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                 const int32_t* halt) override {
    if (!recording_) return cpu_->adam_step(p, step, params, grads, m, v, halt);
    record([=, this]() mutable { cpu_->adam_step(p, step + shift_, params, grads, m, v, halt); });
  }
  void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx, int64_t n,
                    float scale, Tensor& x, Labels& labels) override {
    if (!recording_) return cpu_->gather_batch(images, all_labels, dim, idx, n, scale, x, labels);
    // A failure in the middle of a capture, for tests of what the trainer does then.
    if (recorded_gathers_before_error_ >= 0 && recorded_gathers_before_error_-- == 0)
      throw Error("cpu-recording: an op failed while recording");
    // Shapes are set now, on the host, as the CUDA backend does (growing would allocate,
    // which is refused); the recorded op holds the buffers with these shapes.
    x.resize({n, dim});
    labels.resize(n);
    record([=, this]() mutable { cpu_->gather_batch(images, all_labels, dim, idx, n, scale, x, labels); });
  }
  void argmax_rows(const Tensor& x, int32_t* out) override {
    refuse("argmax_rows");
    cpu_->argmax_rows(x, out);
  }

  bool can_record() const override { return true; }
  void begin_recording() override {
    if (recording_) throw Error("cpu-recording: already recording");
    recording_ = true;
    ops_.clear();
  }
  std::unique_ptr<Recording> end_recording() override {
    if (!recording_) throw Error("cpu-recording: not recording");
    recording_ = false;
    auto rec = std::make_unique<Rec>();
    rec->ops = std::move(ops_);
    rec->generation = generation_;
    ++recordings_;
    return rec;
  }
  void cancel_recording() override {
    recording_ = false;
    ops_.clear();
  }
  bool replay(const Recording& r, long step_shift) override {
    refuse("replay");
    const auto& rec = dynamic_cast<const Rec&>(r);
    if (rec.generation != generation_) return false;
    shift_ = step_shift;
    for (const auto& op : rec.ops) op();
    shift_ = 0;
    ++replays_;
    return true;
  }

  int recordings_ = 0, replays_ = 0;
  int recorded_gathers_before_error_ = -1;  // >= 0: the gather after that many recorded ones throws

 private:
  struct Rec final : Recording {
    std::vector<std::function<void()>> ops;
    uint64_t generation = 0;
    size_t operations() const override { return ops.size(); }
  };
  void refuse(const char* what) const {
    if (recording_) throw Error(std::string("cpu-recording: ") + what + " while recording");
  }
  void record(std::function<void()> op) { ops_.push_back(std::move(op)); }
  // The logged loss through the host, as a device does it in its own memory: the loss
  // goes to log.losses[i], and the first loss that is not finite halts the log.
  void logged_on_cpu(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels, Tensor& dpred,
                     StepLog& log, int64_t i) {
    if (i < 0 || i >= log.losses.numel() || log.halt.size() < 1)
      throw Error("loss log: step " + std::to_string(i) + " is outside a log of " +
                  std::to_string(log.losses.numel()) + " steps");
    const float value = cpu_->loss_forward_backward(kind, pred, targets, labels, dpred);
    log.losses.data()[i] = value;
    if (!std::isfinite(value) && log.halt.data()[0] == 0) log.halt.data()[0] = int32_t(i + 1);
  }

  std::unique_ptr<Backend> cpu_;
  bool recording_ = false;
  long shift_ = 0;
  uint64_t generation_ = 0;
  std::vector<std::function<void()>> ops_;
};

}  // namespace nnplay::test
