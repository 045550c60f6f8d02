// The CPU backend: host memory, the GEMM-based linear and convolution layers, and the
// reference kernels.
// Built natively and, unchanged, for WebAssembly.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cpu/conv.h"
#include "cpu/gemm.h"
#include "cpu/kernels.h"
#include "cpu/row_kernels.h"
#include "cpu/thread_pool.h"
#include "nnplay/backend.h"
#include "op_checks.h"
#include "nnplay/error.h"
#include "nnplay/softmax.h"

namespace nnplay {

namespace {

void require(bool ok, const char* op, const std::string& what) {
  if (!ok) throw Error(std::string(op) + ": " + what);
}

bool is_matrix(const Tensor& t) { return t.rank() == 2; }

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(int threads) : pool_(threads < 1 ? 1 : threads) {}

  const char* name() const override { return "cpu"; }
  bool uses_host_memory() const override { return true; }

  void* alloc(size_t bytes) override {
    // 64-byte alignment suits every SIMD width the fast kernels use.
    size_t rounded = (bytes + 63) / 64 * 64;
    if (rounded == 0) rounded = 64;
    void* p = std::aligned_alloc(64, rounded);
    if (!p) throw Error("cpu backend: out of memory allocating " + std::to_string(bytes) + " bytes");
    std::memset(p, 0, rounded);
    return p;
  }
  void release(void* ptr) override { std::free(ptr); }
  void upload(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void download(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void fill(float* dst, int64_t n, float value) override {
    for (int64_t i = 0; i < n; ++i) dst[i] = value;
  }

  void linear_forward(const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    require(is_matrix(x) && is_matrix(W) && x.dim(1) == W.dim(1), "linear_forward",
            "x " + shape_str(x.shape()) + " does not fit W " + shape_str(W.shape()));
    require(b.empty() || b.numel() == W.dim(0), "linear_forward", "bias " + shape_str(b.shape()) + " vs W " +
                                                                       shape_str(W.shape()));
    const int64_t n = x.dim(0), in = x.dim(1), out = W.dim(0);
    require(y.numel() == n * out, "linear_forward", "output has shape " + shape_str(y.shape()));
    cpu::gemm(&pool_, false, true, int(n), int(out), int(in), 1.0f, x.data(), int(in), W.data(), int(in), 0.0f,
              y.data(), int(out));
    if (!b.empty()) cpu::add_bias_rows(y.data(), b.data(), n, out);
  }

  void linear_backward(const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx, Tensor& dW,
                       Tensor& db) override {
    const int64_t n = x.dim(0), in = x.dim(1), out = W.dim(0);
    require(dy.rank() == 2 && dy.dim(0) == n && dy.dim(1) == out, "linear_backward",
            "dy " + shape_str(dy.shape()) + " does not fit x " + shape_str(x.shape()) + " and W " +
                shape_str(W.shape()));
    // dW[out, in] += dyᵀ[out, n] · x[n, in]
    cpu::gemm(&pool_, true, false, int(out), int(in), int(n), 1.0f, dy.data(), int(out), x.data(), int(in), 1.0f,
              dW.data(), int(in));
    if (!db.empty()) cpu::sum_rows_into(dy.data(), db.data(), n, out);
    // dx[n, in] = dy[n, out] · W[out, in]
    if (dx)
      cpu::gemm(&pool_, false, false, int(n), int(in), int(out), 1.0f, dy.data(), int(out), W.data(), int(in), 0.0f,
                dx->data(), int(in));
  }

  void activation_forward(Activation a, const Tensor& x, Tensor& y) override {
    require(x.numel() == y.numel(), "activation_forward", "shapes " + shape_str(x.shape()) + " and " +
                                                              shape_str(y.shape()));
    cpu::activation_forward(a, x.data(), y.data(), x.numel());
  }

  void activation_backward(Activation a, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override {
    require(x.numel() == dy.numel() && dx.numel() == dy.numel(), "activation_backward", "shape mismatch");
    cpu::activation_backward(a, x.data(), y.data(), dy.data(), dx.data(), x.numel());
  }

  void bias_activation_forward(Activation a, Tensor& z, const Tensor& b, Tensor& y) override {
    require(is_matrix(z) && b.numel() == z.dim(1) && y.numel() == z.numel(), "bias_activation_forward",
            "z " + shape_str(z.shape()) + ", bias " + shape_str(b.shape()) + ", y " + shape_str(y.shape()));
    cpu::add_bias_rows(z.data(), b.data(), z.dim(0), z.dim(1));
    cpu::activation_forward(a, z.data(), y.data(), z.numel());
  }

  void activation_bias_backward(Activation a, const Tensor& z, const Tensor& y, const Tensor& dy, Tensor& dz,
                                Tensor& db) override {
    require(is_matrix(z) && y.numel() == z.numel() && dy.numel() == z.numel() && dz.numel() == z.numel() &&
                db.numel() == z.dim(1),
            "activation_bias_backward", "z " + shape_str(z.shape()) + ", bias gradient " + shape_str(db.shape()));
    cpu::activation_backward(a, z.data(), y.data(), dy.data(), dz.data(), z.numel());
    cpu::sum_rows_into(dz.data(), db.data(), z.dim(0), z.dim(1));
  }

  void conv2d_forward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) override {
    const int64_t n = check_conv_shapes("conv2d_forward", g, x, W, b, y.numel());
    cpu::conv2d_forward(&pool_, scratch_, g, n, x.data(), W.data(), b.empty() ? nullptr : b.data(), y.data());
  }

  void conv2d_backward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx,
                       Tensor& dW, Tensor& db) override {
    const int64_t n = check_conv_shapes("conv2d_backward", g, x, W, db, dy.numel());
    if (dx) require(dx->numel() == x.numel(), "conv2d_backward", "dx has shape " + shape_str(dx->shape()));
    require(dW.numel() == W.numel(), "conv2d_backward", "dW has shape " + shape_str(dW.shape()));
    cpu::conv2d_backward(&pool_, scratch_, g, n, x.data(), W.data(), dy.data(), dx ? dx->data() : nullptr, dW.data(),
                         db.empty() ? nullptr : db.data());
  }

  void maxpool2d_forward(const Pool2dGeometry& g, const Tensor& x, Tensor& y) override {
    const int64_t n = check_pool_shapes("maxpool2d_forward", g, x, y);
    cpu::maxpool2d_forward(g, n, x.data(), y.data());
  }

  void maxpool2d_backward(const Pool2dGeometry& g, const Tensor& x, const Tensor& dy, Tensor& dx) override {
    const int64_t n = check_pool_shapes("maxpool2d_backward", g, x, dy);
    require(dx.numel() == x.numel(), "maxpool2d_backward", "dx has shape " + shape_str(dx.shape()));
    cpu::maxpool2d_backward(g, n, x.data(), dy.data(), dx.data());
  }

  void dropout_forward(const Tensor& x, const Tensor& mask, Tensor& y) override {
    require(mask.numel() == x.numel() && y.numel() == x.numel(), "dropout_forward",
            "x " + shape_str(x.shape()) + ", mask " + shape_str(mask.shape()) + ", y " + shape_str(y.shape()));
    cpu::multiply(x.data(), mask.data(), y.data(), x.numel());
  }

  void dropout_backward(const Tensor& dy, const Tensor& mask, Tensor& dx) override {
    require(mask.numel() == dy.numel() && dx.numel() == dy.numel(), "dropout_backward",
            "dy " + shape_str(dy.shape()) + ", mask " + shape_str(mask.shape()) + ", dx " + shape_str(dx.shape()));
    cpu::multiply(dy.data(), mask.data(), dx.data(), dy.numel());
  }

  float loss_forward_backward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels,
                              Tensor& dpred) override {
    require(dpred.numel() == pred.numel(), "loss", "gradient buffer shape " + shape_str(dpred.shape()));
    return loss(kind, pred, targets, labels, dpred.data());
  }

  float loss_forward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels) override {
    return loss(kind, pred, targets, labels, nullptr);
  }

  void sgd_step(const SgdParams& p, long step, Tensor& params, const Tensor& grads, Tensor& momentum_buf,
                const int32_t* halt) override {
    require(params.numel() == grads.numel(), "sgd_step", "params and grads differ in size");
    require(p.momentum == 0.0f || momentum_buf.numel() == params.numel(), "sgd_step", "momentum buffer size");
    if (halt && *halt) return;
    cpu::sgd_update(p, params.data(), grads.data(), momentum_buf.data(), step == 1, params.numel());
  }

  void adam_step(const AdamParams& p, long step, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                 const int32_t* halt) override {
    require(params.numel() == grads.numel() && m.numel() == params.numel() && v.numel() == params.numel(),
            "adam_step", "params, grads and moments differ in size");
    if (halt && *halt) return;
    cpu::adam_update(p, step, params.data(), grads.data(), m.data(), v.data(), params.numel());
  }

  void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx, int64_t n,
                    float scale, Tensor& x, Labels& labels) override {
    x.resize({n, dim});
    labels.resize(n);
    float* xd = x.data();
    int32_t* ld = labels.data();
    // The rows are scattered over the whole training set (tens of MB), so each one starts
    // with cache misses the hardware prefetcher cannot foresee: ask for the row a few
    // ahead while converting this one. This halves the gather's time on MNIST.
    constexpr int64_t kAhead = 4;
    for (int64_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {
        const uint8_t* next = images + int64_t(idx[i + kAhead]) * dim;
        for (int64_t off = 0; off < dim; off += 64) __builtin_prefetch(next + off);
      }
      const uint8_t* src = images + int64_t(idx[i]) * dim;
      float* dst = xd + i * dim;
      cpu::convert_u8_to_float(src, dst, dim, scale);
      ld[i] = all_labels[idx[i]];
    }
  }

  void prefetch_rows(const uint8_t* images, int64_t dim, const int32_t* idx, int64_t n) override {
    // Into the outer caches (locality hint 2): they are read once, a training step later.
    for (int64_t i = 0; i < n; ++i) {
      const uint8_t* row = images + int64_t(idx[i]) * dim;
      for (int64_t off = 0; off < dim; off += 64) __builtin_prefetch(row + off, 0, 2);
    }
  }

  void argmax_rows(const Tensor& x, int32_t* out) override {
    require(is_matrix(x), "argmax_rows", "expected a matrix, got " + shape_str(x.shape()));
    const int64_t n = x.dim(0), c = x.dim(1);
    for (int64_t i = 0; i < n; ++i) {
      const float* row = x.data() + i * c;
      int64_t best = 0;
      for (int64_t j = 1; j < c; ++j)
        if (row[j] > row[best]) best = j;
      out[i] = int32_t(best);
    }
  }

 private:

  float loss(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels, float* grad) {
    switch (kind) {
      case LossKind::MSE:
      case LossKind::BCE:
        require(targets && targets->numel() == pred.numel(), loss_name(kind),
                "targets must have the prediction's shape " + shape_str(pred.shape()));
        return kind == LossKind::MSE ? cpu::mse_forward_backward(pred.data(), targets->data(), grad, pred.numel())
                                     : cpu::bce_forward_backward(pred.data(), targets->data(), grad, pred.numel());
      case LossKind::CrossEntropy:
      case LossKind::NLL: {
        require(is_matrix(pred), loss_name(kind), "expected (N, classes) input, got " + shape_str(pred.shape()));
        require(labels && labels->size() == pred.dim(0), loss_name(kind),
                "need one label per row of " + shape_str(pred.shape()));
        const int n = int(pred.dim(0)), c = int(pred.dim(1));
        if (kind == LossKind::CrossEntropy) return cpu::cross_entropy_fast(pred.data(), labels->data(), grad, n, c);
        float value = nll_forward(pred.data(), labels->data(), n, c);
        if (grad) nll_backward(labels->data(), grad, n, c);
        return value;
      }
    }
    return 0.0f;
  }

  cpu::ThreadPool pool_;
  std::vector<float> scratch_;  // the convolutions' im2col columns; grows, never shrinks
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(int threads) { return std::make_unique<CpuBackend>(threads); }

}  // namespace nnplay
