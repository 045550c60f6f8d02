// The CUDA backend: device memory, cuBLAS for the linear layers, and the kernels of
// kernels.cuh, behind the same Backend interface as the CPU reference. The stream, the
// cuBLAS handle and small scratch buffers live in the backend object (no globals).
// cuBLAS is called through cublas_loader.h: it is opened when a GPU is found, not linked.
// Training steps wait for nothing: batches are gathered from device-resident data, losses
// go to a device log (StepLog), and a whole epoch can be recorded as a CUDA Graph and
// replayed (Backend::begin_recording / replay), one launch instead of thousands.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>
#include <string>
#include <vector>

#include "cuda/cublas_loader.h"
#include "cuda/conv.cuh"
#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"
#include "nnplay/backend.h"
#include "nnplay/device_steps.h"
#include "op_checks.h"
#include "nnplay/error.h"

namespace nnplay {

namespace {

void require(bool ok, const char* op, const std::string& what) {
  if (!ok) throw Error(std::string(op) + ": " + what);
}

class CudaBackend final : public Backend, public DeviceSteps {
 public:
  CudaBackend(int device, const cuda::CublasApi& api) : api_(api) {
    try {
      init(device);
    } catch (...) {
      teardown();  // a constructor that throws gets no destructor: free what was made
      throw;
    }
  }
  ~CudaBackend() override { teardown(); }

  // The object owns a stream, a cuBLAS handle and device memory: a copy would free them twice.
  CudaBackend(const CudaBackend&) = delete;
  CudaBackend& operator=(const CudaBackend&) = delete;

  const char* name() const override { return "cuda"; }
  DeviceSteps* device_steps() override { return this; }

  void* alloc(size_t bytes) override {
    not_while_recording("allocating device memory");
    void* p = nullptr;
    if (bytes == 0) bytes = 4;
    NNPLAY_CUDA_CHECK(cudaMalloc(&p, bytes));
    // The zeroes are queued on this backend's stream, which does not wait for other
    // streams nor they for it: waiting here keeps alloc's promise to whoever reads the
    // memory first. Allocations are rare (never inside a training step).
    cudaError_t err = cudaMemsetAsync(p, 0, bytes, stream_);
    if (err == cudaSuccess) err = cudaStreamSynchronize(stream_);
    if (err != cudaSuccess) {
      cudaFree(p);
      cuda::throw_cuda_error(err, "zeroing new device memory", __FILE__, __LINE__);
    }
    ++memory_generation_;
    return p;
  }
  void release(void* ptr) override {
    if (!ptr) return;
    // Called from destructors: must not throw. Memory released while recording (a
    // tensor destroyed by an error unwinding) is released after the capture ends.
    if (recording_) {
      released_while_recording_.push_back(ptr);
      return;
    }
    cudaStreamSynchronize(stream_);  // the memory may still be in use by queued work
    cudaFree(ptr);
    ++memory_generation_;
  }
  void upload(void* dst, const void* src, size_t bytes) override {
    not_while_recording("upload (it waits for the device)");
    NNPLAY_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream_));
    NNPLAY_CUDA_CHECK(cudaStreamSynchronize(stream_));  // src may be a temporary
  }
  void download(void* dst, const void* src, size_t bytes) override {
    not_while_recording("download (it waits for the device)");
    NNPLAY_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream_));
    NNPLAY_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  void fill(float* dst, int64_t n, float value) override { cuda::fill(dst, n, value, stream_); }

  // Row-major C = A·Bᵀ is column-major Cᵀ = B·Aᵀ: the operand order and transposes below
  // follow from that; see engine/src/cpu/cpu_backend.cpp for the same products.
  void linear_forward(const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    require(x.rank() == 2 && W.rank() == 2 && x.dim(1) == W.dim(1), "linear_forward",
            "x " + shape_str(x.shape()) + " does not fit W " + shape_str(W.shape()));
    require(b.empty() || b.numel() == W.dim(0), "linear_forward",
            "bias " + shape_str(b.shape()) + " vs W " + shape_str(W.shape()));
    const int n = int(x.dim(0)), in = int(x.dim(1)), out = int(W.dim(0));
    require(y.numel() == int64_t(n) * out, "linear_forward", "output has shape " + shape_str(y.shape()));
    const float one = 1.0f, zero = 0.0f;
    NNPLAY_CUBLAS_CHECK(
        api_.sgemm(blas_, CUBLAS_OP_T, CUBLAS_OP_N, out, n, in, &one, W.data(), in, x.data(), in, &zero, y.data(), out));
    if (!b.empty()) cuda::add_bias_rows(y.data(), b.data(), n, out, stream_);
  }

  void linear_backward(const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx, Tensor& dW,
                       Tensor& db) override {
    require(x.rank() == 2 && W.rank() == 2 && x.dim(1) == W.dim(1), "linear_backward",
            "x " + shape_str(x.shape()) + " does not fit W " + shape_str(W.shape()));
    const int n = int(x.dim(0)), in = int(x.dim(1)), out = int(W.dim(0));
    require(dy.rank() == 2 && dy.dim(0) == n && dy.dim(1) == out, "linear_backward",
            "dy " + shape_str(dy.shape()) + " does not fit x " + shape_str(x.shape()) + " and W " +
                shape_str(W.shape()));
    // The CPU would write past a small buffer in host memory; here it would be device memory.
    require(dW.numel() == W.numel() && (db.empty() || db.numel() == out) && (!dx || dx->numel() == x.numel()),
            "linear_backward", "gradient buffers do not fit W " + shape_str(W.shape()));
    const float one = 1.0f, zero = 0.0f;
    // dW[out, in] += dyᵀ · x
    NNPLAY_CUBLAS_CHECK(
        api_.sgemm(blas_, CUBLAS_OP_N, CUBLAS_OP_T, in, out, n, &one, x.data(), in, dy.data(), out, &one, dW.data(), in));
    if (!db.empty()) cuda::sum_rows_into(dy.data(), db.data(), n, out, stream_);
    // dx[n, in] = dy · W
    if (dx)
      NNPLAY_CUBLAS_CHECK(api_.sgemm(blas_, CUBLAS_OP_N, CUBLAS_OP_N, in, n, out, &one, W.data(), in, dy.data(), out,
                                     &zero, dx->data(), in));
  }

  void activation_forward(Activation a, const Tensor& x, Tensor& y) override {
    require(x.numel() == y.numel(), "activation_forward", "shape mismatch");
    cuda::activation_forward(a, x.data(), y.data(), x.numel(), stream_);
  }

  void activation_backward(Activation a, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override {
    require(x.numel() == dy.numel() && dx.numel() == dy.numel(), "activation_backward", "shape mismatch");
    cuda::activation_backward(a, x.data(), y.data(), dy.data(), dx.data(), x.numel(), stream_);
  }

  void bias_activation_forward(Activation a, Tensor& z, const Tensor& b, Tensor& y) override {
    require(z.rank() == 2 && b.numel() == z.dim(1) && y.numel() == z.numel(), "bias_activation_forward",
            "z " + shape_str(z.shape()) + ", bias " + shape_str(b.shape()) + ", y " + shape_str(y.shape()));
    cuda::bias_activation_forward(a, z.data(), b.data(), y.data(), z.dim(0), z.dim(1), stream_);
  }

  void activation_bias_backward(Activation a, const Tensor& z, const Tensor& y, const Tensor& dy, Tensor& dz,
                                Tensor& db) override {
    require(z.rank() == 2 && y.numel() == z.numel() && dy.numel() == z.numel() && dz.numel() == z.numel() &&
                db.numel() == z.dim(1),
            "activation_bias_backward", "z " + shape_str(z.shape()) + ", bias gradient " + shape_str(db.shape()));
    cuda::activation_bias_backward(a, z.data(), y.data(), dy.data(), dz.data(), db.data(), z.dim(0), z.dim(1),
                                   stream_);
  }

  void conv2d_forward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    const int64_t n = check_conv_shapes("conv2d_forward", g, x, W, b, y.numel());
    cuda::conv2d_forward(blas(), conv_scratch(g, n), g, n, x.data(), W.data(), b.empty() ? nullptr : b.data(), y.data(),
                         stream_);
  }

  void conv2d_backward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx,
                       Tensor& dW, Tensor& db) override {
    const int64_t n = check_conv_shapes("conv2d_backward", g, x, W, db, dy.numel());
    if (dx) require(dx->numel() == x.numel(), "conv2d_backward", "dx has shape " + shape_str(dx->shape()));
    require(dW.numel() == W.numel(), "conv2d_backward", "dW has shape " + shape_str(dW.shape()));
    cuda::conv2d_backward(blas(), conv_scratch(g, n), g, n, x.data(), W.data(), dy.data(), dx ? dx->data() : nullptr,
                          dW.data(), db.empty() ? nullptr : db.data(), stream_);
  }

  void maxpool2d_forward(const Pool2dGeometry& g, const Tensor& x, Tensor& y) override {
    const int64_t n = check_pool_shapes("maxpool2d_forward", g, x, y);
    cuda::maxpool2d_forward(g, n, x.data(), y.data(), stream_);
  }

  void maxpool2d_backward(const Pool2dGeometry& g, const Tensor& x, const Tensor& dy, Tensor& dx) override {
    const int64_t n = check_pool_shapes("maxpool2d_backward", g, x, dy);
    require(dx.numel() == x.numel(), "maxpool2d_backward", "dx has shape " + shape_str(dx.shape()));
    cuda::maxpool2d_backward(g, n, x.data(), dy.data(), dx.data(), stream_);
  }

  void dropout_forward(const Tensor& x, const Tensor& mask, Tensor& y) override {
    require(mask.numel() == x.numel() && y.numel() == x.numel(), "dropout_forward",
            "x " + shape_str(x.shape()) + ", mask " + shape_str(mask.shape()) + ", y " + shape_str(y.shape()));
    cuda::multiply(x.data(), mask.data(), y.data(), x.numel(), stream_);
  }

  void dropout_backward(const Tensor& dy, const Tensor& mask, Tensor& dx) override {
    require(mask.numel() == dy.numel() && dx.numel() == dy.numel(), "dropout_backward",
            "dy " + shape_str(dy.shape()) + ", mask " + shape_str(mask.shape()) + ", dx " + shape_str(dx.shape()));
    cuda::multiply(dy.data(), mask.data(), dx.data(), dy.numel(), stream_);
  }

  float loss_forward_backward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels,
                              Tensor& dpred) override {
    require(dpred.numel() == pred.numel(), "loss", "gradient buffer shape " + shape_str(dpred.shape()));
    return loss(kind, pred, targets, labels, dpred.data());
  }

  float loss_forward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels) override {
    return loss(kind, pred, targets, labels, nullptr);
  }

  // The loss goes to the log on the device; nothing comes back to the host.
  void loss_forward_backward_logged(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels,
                                    Tensor& dpred, StepLog& log, int64_t i) override {
    require(dpred.numel() == pred.numel(), "loss", "gradient buffer shape " + shape_str(dpred.shape()));
    require(i >= 0 && i < log.losses.numel() && log.halt.size() >= 1, "loss log",
            "step " + std::to_string(i) + " is outside a log of " + std::to_string(log.losses.numel()) + " steps");
    launch_loss(kind, pred, targets, labels, dpred.data(), cuda::LossOut{log.losses.data() + i, log.halt.data(), i});
  }

  void sgd_step(const SgdParams& p, long step, Tensor& params, const Tensor& grads, Tensor& buf,
                const int32_t* halt) override {
    require(params.numel() == grads.numel(), "sgd_step", "params and grads differ in size");
    require(p.momentum == 0.0f || buf.numel() == params.numel(), "sgd_step", "momentum buffer size");
    cuda::sgd_update(p, step_number(step, halt), params.data(), grads.data(), buf.data(), params.numel(), stream_);
  }

  void adam_step(const AdamParams& p, long step, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                 const int32_t* halt) override {
    require(params.numel() == grads.numel() && m.numel() == params.numel() && v.numel() == params.numel(),
            "adam_step", "params, grads and moments differ in size");
    cuda::adam_update(p, step_number(step, halt), params.data(), grads.data(), m.data(), v.data(), params.numel(),
                      scratch_->adam_corrections, stream_);
  }

  void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx, int64_t n,
                    float scale, Tensor& x, Labels& labels) override {
    x.resize({n, dim});
    labels.resize(n);
    // Everything is on the device already (the loader uploads each epoch's order once):
    // the gather is queued and the host goes on.
    cuda::gather_batch(images, all_labels, dim, idx, n, scale, x.data(), labels.data(), stream_);
  }

  void argmax_rows(const Tensor& x, int32_t* out_host) override {
    require(x.rank() == 2, "argmax_rows", "expected a matrix, got " + shape_str(x.shape()));
    not_while_recording("argmax_rows (it waits for the device)");
    const int64_t n = x.dim(0);
    if (n > idx_capacity_) {
      cudaFree(idx_dev_);
      idx_dev_ = nullptr;
      NNPLAY_CUDA_CHECK(cudaMalloc(&idx_dev_, size_t(n) * sizeof(int32_t)));
      idx_capacity_ = n;
    }
    cuda::argmax_rows(x.data(), n, x.dim(1), idx_dev_, stream_);
    download(out_host, idx_dev_, size_t(n) * sizeof(int32_t));
  }

  // Recording: stream capture into a CUDA Graph, instantiated once, launched per replay.
  bool can_record() const override { return true; }

  void begin_recording() override {
    if (recording_) throw Error("cuda: begin_recording while already recording");
    // ThreadLocal: only this thread's calls are checked for what capture forbids.
    NNPLAY_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
    recording_ = true;
    generation_at_capture_ = memory_generation_;
  }

  std::unique_ptr<Recording> end_recording() override {
    if (!recording_) throw Error("cuda: end_recording without begin_recording");
    recording_ = false;
    cudaGraph_t graph = nullptr;
    const cudaError_t err = cudaStreamEndCapture(stream_, &graph);
    auto rec = std::make_unique<CudaRecording>();
    rec->graph = graph;
    // Stamped with the memory as it was when the capture began: a buffer released during
    // the capture may be in the graph, and freeing it below moves the generation on, so
    // replay() refuses the recording instead of running it on freed memory.
    rec->memory_generation = generation_at_capture_;
    free_released_while_recording();
    if (err != cudaSuccess) cuda::throw_cuda_error(err, "cudaStreamEndCapture(stream_, &graph)", __FILE__, __LINE__);
    NNPLAY_CUDA_CHECK(cudaGraphInstantiate(&rec->exec, graph, 0));
    size_t nodes = 0;
    NNPLAY_CUDA_CHECK(cudaGraphGetNodes(graph, nullptr, &nodes));
    rec->nodes = nodes;
    return rec;
  }

  void cancel_recording() override {
    if (!recording_) return;
    recording_ = false;
    cudaGraph_t graph = nullptr;
    if (cudaStreamEndCapture(stream_, &graph) == cudaSuccess && graph) cudaGraphDestroy(graph);
    cudaGetLastError();  // a capture broken by the error leaves one behind: cleared
    free_released_while_recording();
  }

  bool replay(const Recording& recording, long step_shift) override {
    not_while_recording("replay");
    const auto* rec = dynamic_cast<const CudaRecording*>(&recording);
    if (!rec || !rec->exec || rec->memory_generation != memory_generation_) return false;
    // From pageable memory the copy is staged before the call returns: the member may
    // change afterwards, and the graph reads the value in stream order.
    step_shift_host_ = step_shift;
    NNPLAY_CUDA_CHECK(
        cudaMemcpyAsync(&scratch_->step_shift, &step_shift_host_, sizeof(long), cudaMemcpyHostToDevice, stream_));
    NNPLAY_CUDA_CHECK(cudaGraphLaunch(rec->exec, stream_));
    return true;
  }

 private:
  static constexpr size_t kBlasWorkspaceBytes = size_t(32) << 20;

  struct LossResult {
    float loss;
    int32_t bad_label;  // the first row whose label is out of range, + 1; 0 if none
  };
  // Small device memory of the backend's own, in one allocation.
  struct Scratch {
    double loss_partials[cuda::kLossPartials];  // the loss kernels' per-block sums
    float adam_corrections[2];                  // a replayed Adam step's bias corrections
    long step_shift;                            // a replayed recording's step shift
    LossResult loss_result;                     // what loss() reads back
  };

  void init(int device) {
    NNPLAY_CUDA_CHECK(cudaSetDevice(device));
    NNPLAY_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    NNPLAY_CUBLAS_CHECK(api_.create(&blas_));
    NNPLAY_CUBLAS_CHECK(api_.set_stream(blas_, stream_));
    // Plain FP32 math, no TF32: the parity tests hold results to 1e-5 of the CPU's.
    NNPLAY_CUBLAS_CHECK(api_.set_math_mode(blas_, CUBLAS_DEFAULT_MATH));
    // cuBLAS's workspace is given, not left to cuBLAS, so that no GEMM allocates memory
    // while an epoch is being recorded as a graph. 32 MiB is what NVIDIA advises on Hopper.
    NNPLAY_CUDA_CHECK(cudaMalloc(&blas_workspace_, kBlasWorkspaceBytes));
    NNPLAY_CUBLAS_CHECK(api_.set_workspace(blas_, blas_workspace_, kBlasWorkspaceBytes));
    NNPLAY_CUDA_CHECK(cudaMalloc(&scratch_, sizeof(Scratch)));
    NNPLAY_CUDA_CHECK(cudaMemsetAsync(scratch_, 0, sizeof(Scratch), stream_));  // step_shift starts at 0
    NNPLAY_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  // Frees whatever init() made, in reverse order; also after a partial init(). Runs in
  // the destructor, so it must not throw: errors at teardown are ignored on purpose.
  void teardown() noexcept {
    if (recording_) cancel_recording();
    if (stream_) cudaStreamSynchronize(stream_);
    cudaFree(scratch_);
    cudaFree(idx_dev_);
    cudaFree(conv_scratch_);
    conv_scratch_ = nullptr;
    if (blas_) api_.destroy(blas_);  // before its workspace is freed
    cudaFree(blas_workspace_);
    if (stream_) cudaStreamDestroy(stream_);
    scratch_ = nullptr;
    idx_dev_ = nullptr;
    blas_ = nullptr;
    blas_workspace_ = nullptr;
    stream_ = nullptr;
  }

  struct CudaRecording final : Recording {
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    uint64_t memory_generation = 0;
    size_t nodes = 0;
    size_t operations() const override { return nodes; }
    ~CudaRecording() override {
      if (exec) cudaGraphExecDestroy(exec);
      if (graph) cudaGraphDestroy(graph);
    }
  };

  void not_while_recording(const char* what) const {
    if (recording_) throw Error(std::string("cuda: ") + what + " is not allowed while an epoch is being recorded");
  }

  void free_released_while_recording() {
    if (released_while_recording_.empty()) return;
    cudaStreamSynchronize(stream_);
    for (void* p : released_while_recording_) cudaFree(p);
    released_while_recording_.clear();
    ++memory_generation_;
  }

  cuda::Blas blas() const { return cuda::Blas{&api_, blas_}; }

  // The convolutions' im2col scratch, grown (never shrunk) to fit n images: sized by the
  // first step, so a recorded epoch allocates nothing.
  float* conv_scratch(const Conv2dGeometry& g, int64_t n) {
    const int64_t need = cuda::conv2d_scratch_floats(g, n);
    if (need > conv_scratch_floats_) {
      release(conv_scratch_);
      conv_scratch_ = nullptr;
      conv_scratch_floats_ = 0;
      conv_scratch_ = static_cast<float*>(alloc(size_t(need) * sizeof(float)));
      conv_scratch_floats_ = need;
    }
    return conv_scratch_;
  }


  // While recording, the update's step number is completed on the device at replay.
  cuda::StepNumber step_number(long step, const int32_t* halt) const {
    return cuda::StepNumber{step, recording_ ? &scratch_->step_shift : nullptr, halt};
  }

  float loss(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels, float* grad) {
    not_while_recording("a loss read back to the host");
    auto* result = &scratch_->loss_result;
    NNPLAY_CUDA_CHECK(cudaMemsetAsync(&result->bad_label, 0, sizeof(int32_t), stream_));
    launch_loss(kind, pred, targets, labels, grad, cuda::LossOut{&result->loss});
    LossResult host{};
    download(&host, result, sizeof(host));
    if (host.bad_label)
      throw Error(std::string(loss_name(kind)) + ": label at row " + std::to_string(host.bad_label - 1) +
                  " is outside [0, " + std::to_string(pred.dim(1)) + ")");
    return host.loss;
  }

  // Queues the loss kernels. Labels out of range mark the scratch's flag (read by loss())
  // and make the loss NaN, which halts a step log.
  void launch_loss(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels, float* grad,
                   cuda::LossOut out) {
    int* bad_dev = &scratch_->loss_result.bad_label;
    double* partials = scratch_->loss_partials;
    switch (kind) {
      case LossKind::MSE:
      case LossKind::BCE:
        require(targets && targets->numel() == pred.numel(), loss_name(kind),
                "targets must have the prediction's shape " + shape_str(pred.shape()));
        if (kind == LossKind::MSE)
          cuda::mse_forward_backward(pred.data(), targets->data(), grad, pred.numel(), out, partials, stream_);
        else
          cuda::bce_forward_backward(pred.data(), targets->data(), grad, pred.numel(), out, partials, stream_);
        break;
      case LossKind::CrossEntropy:
      case LossKind::NLL:
        require(pred.rank() == 2, loss_name(kind), "expected (N, classes) input, got " + shape_str(pred.shape()));
        require(labels && labels->size() == pred.dim(0), loss_name(kind),
                "need one label per row of " + shape_str(pred.shape()));
        if (kind == LossKind::CrossEntropy)
          cuda::cross_entropy_forward_backward(pred.data(), labels->data(), grad, int(pred.dim(0)), int(pred.dim(1)),
                                               out, bad_dev, partials, stream_);
        else
          cuda::nll_forward_backward(pred.data(), labels->data(), grad, int(pred.dim(0)), int(pred.dim(1)), out,
                                     bad_dev, partials, stream_);
        break;
    }
  }

  const cuda::CublasApi& api_;
  cudaStream_t stream_ = nullptr;
  cublasHandle_t blas_ = nullptr;
  void* blas_workspace_ = nullptr;
  Scratch* scratch_ = nullptr;
  int32_t* idx_dev_ = nullptr;
  int64_t idx_capacity_ = 0;
  float* conv_scratch_ = nullptr;
  int64_t conv_scratch_floats_ = 0;
  // Recording state: a replayed epoch's step shift, what was released during a capture,
  // and a counter of allocations and releases that invalidates older recordings.
  bool recording_ = false;
  long step_shift_host_ = 0;
  uint64_t memory_generation_ = 0;
  uint64_t generation_at_capture_ = 0;
  std::vector<void*> released_while_recording_;
};

// Launched never: it only lets cuda_available() ask whether this build has code the
// device can run. Every .cu file of the backend is built for the same architectures.
__global__ void probe_kernel() {}

}  // namespace

bool cuda_available(std::string* why) {
  auto unusable = [why](const std::string& reason) {
    if (why) *why = "no usable CUDA device (" + reason + ")";
    cudaGetLastError();  // clear the error so later calls are not confused
    return false;
  };
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) return unusable(cudaGetErrorString(err));
  if (count == 0) {
    if (why) *why = "no CUDA device found";
    return false;
  }
  cudaDeviceProp prop{};
  err = cudaGetDeviceProperties(&prop, 0);
  if (err != cudaSuccess) return unusable(cudaGetErrorString(err));
  // A build without machine code or PTX for the device's architecture cannot launch a
  // kernel on it: found here, so that auto falls back to the CPU, instead of at the
  // first launch.
  cudaFuncAttributes attr{};
  err = cudaFuncGetAttributes(&attr, probe_kernel);
  if (err != cudaSuccess) {
    const std::string device = std::string(prop.name) + ", compute capability " + std::to_string(prop.major) + "." +
                               std::to_string(prop.minor);
    if (err == cudaErrorNoKernelImageForDevice || err == cudaErrorInvalidDeviceFunction)
      return unusable(device + ": this build of nnplay has no code for it (rebuild with "
                               "-DCMAKE_CUDA_ARCHITECTURES=native)");
    return unusable(device + ": " + cudaGetErrorString(err));
  }
  // A GPU is of no use without cuBLAS. It is opened here, once a device is known to
  // exist, so that runs on machines without a GPU never map it.
  std::string blas_why;
  if (!cuda::cublas(&blas_why)) return unusable(blas_why);
  if (why) *why = prop.name;
  return true;
}

std::unique_ptr<Backend> make_cuda_backend() {
  std::string why;
  if (!cuda_available(&why)) throw Error("CUDA device requested but " + why);
  return std::make_unique<CudaBackend>(0, *cuda::cublas());
}

}  // namespace nnplay
