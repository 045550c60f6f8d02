// The CUDA backend: device memory, cuBLAS for the linear layers, and the kernels of
// kernels.cuh, behind the same Backend interface as the CPU reference. The stream, the
// cuBLAS handle and small scratch buffers live in the backend object (no globals).
// cuBLAS is called through cublas_loader.h: it is opened when a GPU is found, not linked.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>
#include <string>

#include "cuda/cublas_loader.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"
#include "nnplay/backend.h"
#include "nnplay/error.h"

namespace nnplay {

namespace {

void require(bool ok, const char* op, const std::string& what) {
  if (!ok) throw Error(std::string(op) + ": " + what);
}

class CudaBackend final : public Backend {
 public:
  CudaBackend(int device, const cuda::CublasApi& api) : api_(api) {
    NNPLAY_CUDA_CHECK(cudaSetDevice(device));
    NNPLAY_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    NNPLAY_CUBLAS_CHECK(api_.create(&blas_));
    NNPLAY_CUBLAS_CHECK(api_.set_stream(blas_, stream_));
    // Plain FP32 math, no TF32: results must stay within 1e-4 of the CPU reference.
    NNPLAY_CUBLAS_CHECK(api_.set_math_mode(blas_, CUBLAS_DEFAULT_MATH));
    NNPLAY_CUDA_CHECK(cudaMalloc(&scalar_dev_, sizeof(float) + sizeof(int)));
  }

  ~CudaBackend() override {
    // Destructors must not throw: errors at teardown are ignored on purpose.
    cudaFree(scalar_dev_);
    cudaFree(idx_dev_);
    if (blas_) api_.destroy(blas_);
    cudaStreamDestroy(stream_);
  }

  const char* name() const override { return "cuda"; }

  void* alloc(size_t bytes) override {
    void* p = nullptr;
    if (bytes == 0) bytes = 4;
    NNPLAY_CUDA_CHECK(cudaMalloc(&p, bytes));
    NNPLAY_CUDA_CHECK(cudaMemsetAsync(p, 0, bytes, stream_));
    return p;
  }
  void release(void* ptr) override {
    if (!ptr) return;
    cudaStreamSynchronize(stream_);  // the memory may still be in use by queued work
    cudaFree(ptr);
  }
  void upload(void* dst, const void* src, size_t bytes) override {
    NNPLAY_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream_));
    NNPLAY_CUDA_CHECK(cudaStreamSynchronize(stream_));  // src may be a temporary
  }
  void download(void* dst, const void* src, size_t bytes) override {
    NNPLAY_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream_));
    NNPLAY_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  void fill(float* dst, int64_t n, float value) override { cuda::fill(dst, n, value, stream_); }

  // Row-major C = A·Bᵀ is column-major Cᵀ = B·Aᵀ: the operand order and transposes below
  // follow from that; see engine/src/cpu/cpu_backend.cpp for the same products.
  void linear_forward(const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    require(x.rank() == 2 && W.rank() == 2 && x.dim(1) == W.dim(1), "linear_forward",
            "x " + shape_str(x.shape()) + " does not fit W " + shape_str(W.shape()));
    const int n = int(x.dim(0)), in = int(x.dim(1)), out = int(W.dim(0));
    require(y.numel() == int64_t(n) * out, "linear_forward", "output has shape " + shape_str(y.shape()));
    const float one = 1.0f, zero = 0.0f;
    NNPLAY_CUBLAS_CHECK(
        api_.sgemm(blas_, CUBLAS_OP_T, CUBLAS_OP_N, out, n, in, &one, W.data(), in, x.data(), in, &zero, y.data(), out));
    if (!b.empty()) cuda::add_bias_rows(y.data(), b.data(), n, out, stream_);
  }

  void linear_backward(const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx, Tensor& dW,
                       Tensor& db) override {
    const int n = int(x.dim(0)), in = int(x.dim(1)), out = int(W.dim(0));
    require(dy.rank() == 2 && dy.dim(0) == n && dy.dim(1) == out, "linear_backward",
            "dy " + shape_str(dy.shape()) + " does not fit W " + shape_str(W.shape()));
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

  float loss_forward_backward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels,
                              Tensor& dpred) override {
    require(dpred.numel() == pred.numel(), "loss", "gradient buffer shape " + shape_str(dpred.shape()));
    return loss(kind, pred, targets, labels, dpred.data());
  }

  float loss_forward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels) override {
    return loss(kind, pred, targets, labels, nullptr);
  }

  void sgd_step(const SgdParams& p, Tensor& params, const Tensor& grads, Tensor& buf, bool first) override {
    require(params.numel() == grads.numel(), "sgd_step", "params and grads differ in size");
    require(p.momentum == 0.0f || buf.numel() == params.numel(), "sgd_step", "momentum buffer size");
    cuda::sgd_update(p, params.data(), grads.data(), buf.data(), first, params.numel(), stream_);
  }

  void adam_step(const AdamParams& p, long step, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v) override {
    require(params.numel() == grads.numel() && m.numel() == params.numel() && v.numel() == params.numel(),
            "adam_step", "params, grads and moments differ in size");
    cuda::adam_update(p, step, params.data(), grads.data(), m.data(), v.data(), params.numel(), stream_);
  }

  void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx, int64_t n,
                    float scale, Tensor& x, Labels& labels) override {
    x.resize({n, dim});
    labels.resize(n);
    if (n > idx_capacity_) {
      cudaFree(idx_dev_);
      idx_dev_ = nullptr;
      NNPLAY_CUDA_CHECK(cudaMalloc(&idx_dev_, size_t(n) * sizeof(int32_t)));
      idx_capacity_ = n;
    }
    NNPLAY_CUDA_CHECK(cudaMemcpyAsync(idx_dev_, idx, size_t(n) * sizeof(int32_t), cudaMemcpyHostToDevice, stream_));
    cuda::gather_batch(images, all_labels, dim, idx_dev_, n, scale, x.data(), labels.data(), stream_);
    // idx is host memory the caller may reuse: wait for the copy before returning.
    NNPLAY_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  void argmax_rows(const Tensor& x, int32_t* out_host) override {
    require(x.rank() == 2, "argmax_rows", "expected a matrix, got " + shape_str(x.shape()));
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

 private:
  float loss(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels, float* grad) {
    float* loss_dev = static_cast<float*>(scalar_dev_);
    int* bad_dev = reinterpret_cast<int*>(static_cast<char*>(scalar_dev_) + sizeof(float));
    NNPLAY_CUDA_CHECK(cudaMemsetAsync(bad_dev, 0, sizeof(int), stream_));
    switch (kind) {
      case LossKind::MSE:
      case LossKind::BCE:
        require(targets && targets->numel() == pred.numel(), loss_name(kind),
                "targets must have the prediction's shape " + shape_str(pred.shape()));
        if (kind == LossKind::MSE)
          cuda::mse_forward_backward(pred.data(), targets->data(), grad, pred.numel(), loss_dev, stream_);
        else
          cuda::bce_forward_backward(pred.data(), targets->data(), grad, pred.numel(), loss_dev, stream_);
        break;
      case LossKind::CrossEntropy:
      case LossKind::NLL:
        require(pred.rank() == 2, loss_name(kind), "expected (N, classes) input, got " + shape_str(pred.shape()));
        require(labels && labels->size() == pred.dim(0), loss_name(kind),
                "need one label per row of " + shape_str(pred.shape()));
        if (kind == LossKind::CrossEntropy)
          cuda::cross_entropy_forward_backward(pred.data(), labels->data(), grad, int(pred.dim(0)), int(pred.dim(1)),
                                               loss_dev, bad_dev, stream_);
        else
          cuda::nll_forward_backward(pred.data(), labels->data(), grad, int(pred.dim(0)), int(pred.dim(1)), loss_dev,
                                     bad_dev, stream_);
        break;
    }
    struct {
      float loss;
      int bad;
    } host{};
    download(&host, scalar_dev_, sizeof(float) + sizeof(int));
    if (host.bad)
      throw Error(std::string(loss_name(kind)) + ": label at row " + std::to_string(host.bad - 1) + " is outside [0, " +
                  std::to_string(pred.dim(1)) + ")");
    return host.loss;
  }

  const cuda::CublasApi& api_;
  cudaStream_t stream_ = nullptr;
  cublasHandle_t blas_ = nullptr;
  void* scalar_dev_ = nullptr;
  int32_t* idx_dev_ = nullptr;
  int64_t idx_capacity_ = 0;
};

}  // namespace

bool cuda_available(std::string* why) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    if (why) *why = std::string("no usable CUDA device (") + cudaGetErrorString(err) + ")";
    cudaGetLastError();  // clear the sticky error so later calls are not confused
    return false;
  }
  if (count == 0) {
    if (why) *why = "no CUDA device found";
    return false;
  }
  // A GPU is of no use without cuBLAS. It is opened here, once a device is known to
  // exist, so that runs on machines without a GPU never map it.
  std::string blas_why;
  if (!cuda::cublas(&blas_why)) {
    if (why) *why = "no usable CUDA device (" + blas_why + ")";
    return false;
  }
  if (why) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, 0) == cudaSuccess) *why = prop.name;
  }
  return true;
}

std::unique_ptr<Backend> make_cuda_backend() {
  std::string why;
  if (!cuda_available(&why)) throw Error("CUDA device requested but " + why);
  return std::make_unique<CudaBackend>(0, *cuda::cublas());
}

}  // namespace nnplay
