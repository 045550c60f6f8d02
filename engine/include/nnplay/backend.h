// The one small interface between the engine's models and the hardware.
//
// Models, losses, optimizers and the trainer are written once against this interface;
// a backend supplies memory and the handful of ops those models need. The CPU backend is
// the numerical reference that every faster kernel (vectorised CPU, CUDA) is tested
// against. Ops take whole tensors and check their shapes, so a misuse fails at the op
// with the op's name and the shapes, not three layers later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "nnplay/tensor.h"

namespace nnplay {

class DeviceSteps;

enum class Activation { None, Sigmoid, ReLU, Tanh, Step };
enum class LossKind { MSE, BCE, CrossEntropy, NLL };

const char* activation_name(Activation a);        // "sigmoid"
Activation parse_activation(const std::string& s);  // throws Error on an unknown name
const char* loss_name(LossKind k);
LossKind parse_loss(const std::string& s);

struct SgdParams {
  float lr = 0.01f;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
};

// The geometry of a 2-D convolution over NCHW tensors: x [N, in_c, in_h, in_w] (or the
// same numbers as [N, in_c·in_h·in_w]), W [out_c, in_c, kh, kw], b [out_c],
// y [N, out_c, out_h, out_w]; zero padding on every side, the same stride both ways.
struct Conv2dGeometry {
  int64_t in_c = 0, in_h = 0, in_w = 0, out_c = 0, kh = 0, kw = 0, stride = 1, padding = 0;
  int64_t out_h() const { return (in_h + 2 * padding - kh) / stride + 1; }
  int64_t out_w() const { return (in_w + 2 * padding - kw) / stride + 1; }
};

// A 2-D max pooling window over NCHW tensors: x [N, c, in_h, in_w], y [N, c, out_h, out_w].
struct Pool2dGeometry {
  int64_t c = 0, in_h = 0, in_w = 0, k = 0, stride = 1;
  int64_t out_h() const { return (in_h - k) / stride + 1; }
  int64_t out_w() const { return (in_w - k) / stride + 1; }
};

struct AdamParams {
  float lr = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual const char* name() const = 0;  // "cpu", "cuda"

  // True when this backend's memory is ordinary host memory, so its ops can read host
  // data in place: the batch loader then gathers batches straight from the dataset
  // instead of uploading a second copy of it (47 MB for MNIST's training set).
  virtual bool uses_host_memory() const { return false; }

  // Memory. alloc returns zeroed memory; upload/download copy between host and backend.
  virtual void* alloc(size_t bytes) = 0;
  virtual void release(void* ptr) = 0;
  virtual void upload(void* dst, const void* src, size_t bytes) = 0;
  virtual void download(void* dst, const void* src, size_t bytes) = 0;
  virtual void fill(float* dst, int64_t n, float value) = 0;

  // y[N,out] = x[N,in] · W[out,in]ᵀ + b[out]  (b may be empty: no bias)
  virtual void linear_forward(const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y) = 0;
  // dW += dyᵀ·x, db += Σ_rows dy, and (if dx is not null) dx = dy·W.
  virtual void linear_backward(const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx, Tensor& dW,
                               Tensor& db) = 0;

  virtual void activation_forward(Activation a, const Tensor& x, Tensor& y) = 0;
  // dx = dy * f'(x); y = f(x) is passed because sigmoid/tanh derive from it cheaply.
  virtual void activation_backward(Activation a, const Tensor& x, const Tensor& y, const Tensor& dy,
                                   Tensor& dx) = 0;

  // A Linear layer's bias fused with the activation after it: one pass over the layer's
  // output instead of two (a device launches one kernel; the CPU runs its two reference
  // kernels in turn, the same bits as unfused). z[N, C] holds x·Wᵀ on entry:
  //   forward:  z += b (every row), then y = f(z);
  //   backward: dz = dy * f'(z), then db += Σ_rows dz.
  virtual void bias_activation_forward(Activation a, Tensor& z, const Tensor& b, Tensor& y) = 0;
  virtual void activation_bias_backward(Activation a, const Tensor& z, const Tensor& y, const Tensor& dy, Tensor& dz,
                                        Tensor& db) = 0;

  // Convolution, pooling and dropout (optional: a backend without them throws Error
  // "<op>: not supported by the <name> backend", and models using them cannot run there).
  // y = conv(x, W) + b (b may be empty: no bias).
  virtual void conv2d_forward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& b, Tensor& y);
  // dW += ∂L/∂W, db += ∂L/∂b (db may be empty), and (if dx is not null) dx = ∂L/∂x.
  virtual void conv2d_backward(const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& dy, Tensor* dx,
                               Tensor& dW, Tensor& db);
  // y = the maximum of each window; backward sends dy to the first maximum of its window
  // (PyTorch's choice on ties), summing where windows overlap.
  virtual void maxpool2d_forward(const Pool2dGeometry& g, const Tensor& x, Tensor& y);
  virtual void maxpool2d_backward(const Pool2dGeometry& g, const Tensor& x, const Tensor& dy, Tensor& dx);
  // Dropout with a given mask (0 where dropped, 1/(1-p) where kept): y = x·mask; dx = dy·mask.
  virtual void dropout_forward(const Tensor& x, const Tensor& mask, Tensor& y);
  virtual void dropout_backward(const Tensor& dy, const Tensor& mask, Tensor& dx);

  // The mean loss over the batch, and its gradient with respect to pred in dpred.
  // MSE and BCE take float targets of pred's shape; CrossEntropy (pred = logits) and NLL
  // (pred = log-probabilities) take class labels, one per row.
  virtual float loss_forward_backward(LossKind kind, const Tensor& pred, const Tensor* targets,
                                      const Labels* labels, Tensor& dpred) = 0;
  // The mean loss only (evaluation).
  virtual float loss_forward(LossKind kind, const Tensor& pred, const Tensor* targets, const Labels* labels) = 0;
  // One flat update over all parameters (they live in one buffer). step numbers the
  // updates from 1 (Adam's bias corrections; SGD's momentum starts at step 1). halt, if
  // not null, is a step log's halt in this backend's memory (device_steps.h): while it is
  // not 0 the update does nothing.
  virtual void sgd_step(const SgdParams& p, long step, Tensor& params, const Tensor& grads, Tensor& momentum_buf,
                        const int32_t* halt) = 0;
  virtual void adam_step(const AdamParams& p, long step, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                         const int32_t* halt) = 0;

  // x[i, :] = images[idx[i], :] * scale (uint8 pixels to float), labels[i] = all_labels[idx[i]].
  // images, all_labels and idx are all in this backend's memory (host memory if
  // uses_host_memory()): a device backend gathers without waiting for the host.
  virtual void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx,
                            int64_t n, float scale, Tensor& x, Labels& labels) = 0;
  // A hint: rows images[idx[i]] will be gathered soon (the next batch), so a backend may
  // start fetching them into its caches now. Changes no result; the default does nothing.
  // Only called for host-memory backends (idx on the host).
  virtual void prefetch_rows(const uint8_t* /*images*/, int64_t /*dim*/, const int32_t* /*idx*/, int64_t /*n*/) {}

  // Row-wise argmax of a [N, C] tensor, written to the host.
  virtual void argmax_rows(const Tensor& x, int32_t* out_host) = 0;

  // A device backend's extras for whole epochs without host round trips (step-loss log,
  // recording and replay; device_steps.h), or null: the CPU needs none of it.
  virtual DeviceSteps* device_steps() { return nullptr; }
};

// The CPU backend; threads = 1 runs everything on the calling thread.
std::unique_ptr<Backend> make_cpu_backend(int threads = 1);

// True when this build has the CUDA backend and a GPU is usable; otherwise why says why.
// With a GPU, why receives the device's name.
bool cuda_available(std::string* why = nullptr);
// True when the machine has an NVIDIA GPU, usable or not (its driver's device node, or an
// NVIDIA display or 3D controller on the PCI bus); always false in WebAssembly.
bool nvidia_gpu_present();
// The CUDA backend on device 0; throws Error when there is none.
std::unique_ptr<Backend> make_cuda_backend();

// "cpu", "cuda" or "auto" (the GPU when usable, else the CPU; note then says why: "no
// NVIDIA GPU found, training on the CPU" on a machine without one).
// Throws Error for "cuda" without a usable GPU and for any other name.
std::unique_ptr<Backend> make_backend(const std::string& device, int threads, std::string* note = nullptr);

}  // namespace nnplay
