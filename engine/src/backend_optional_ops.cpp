// The default bodies of the Backend ops a backend may leave out (convolution, pooling,
// dropout): each fails by name, so a model that needs one stops at its first use with
// the op and the backend named, never silently. Also the shape checks every backend's
// convolution and pooling share (op_checks.h).
#include <string>

#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "op_checks.h"

namespace nnplay {

namespace {
[[noreturn]] void unsupported(const Backend& be, const char* op) {
  throw Error(std::string(op) + ": not supported by the " + be.name() + " backend");
}

void require(bool ok, const char* op, const std::string& what) {
  if (!ok) throw Error(std::string(op) + ": " + what);
}
}  // namespace

int64_t check_conv_shapes(const char* op, const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& b,
                          int64_t y_numel) {
  require(g.in_c > 0 && g.in_h > 0 && g.in_w > 0 && g.out_c > 0 && g.kh > 0 && g.kw > 0 && g.stride > 0 &&
              g.padding >= 0 && g.out_h() > 0 && g.out_w() > 0,
          op, "invalid geometry");
  const int64_t in_size = g.in_c * g.in_h * g.in_w;
  require(x.rank() >= 2 && x.numel() == x.dim(0) * in_size, op,
          "x " + shape_str(x.shape()) + " is not N images of " + std::to_string(g.in_c) + "x" +
              std::to_string(g.in_h) + "x" + std::to_string(g.in_w));
  require(W.shape() == Shape{g.out_c, g.in_c, g.kh, g.kw}, op, "W has shape " + shape_str(W.shape()));
  require(b.empty() || b.numel() == g.out_c, op, "bias has shape " + shape_str(b.shape()));
  require(y_numel == x.dim(0) * g.out_c * g.out_h() * g.out_w(), op, "the output does not fit x " +
                                                                       shape_str(x.shape()));
  return x.dim(0);
}

int64_t check_pool_shapes(const char* op, const Pool2dGeometry& g, const Tensor& x, const Tensor& y) {
  require(g.c > 0 && g.k > 0 && g.stride > 0 && g.in_h >= g.k && g.in_w >= g.k, op, "invalid geometry");
  const int64_t in_size = g.c * g.in_h * g.in_w;
  require(x.rank() >= 2 && x.numel() == x.dim(0) * in_size, op, "x " + shape_str(x.shape()) + " does not fit");
  require(y.numel() == x.dim(0) * g.c * g.out_h() * g.out_w(), op, "y " + shape_str(y.shape()) + " does not fit");
  return x.dim(0);
}

void Backend::conv2d_forward(const Conv2dGeometry&, const Tensor&, const Tensor&, const Tensor&, Tensor&) {
  unsupported(*this, "conv2d_forward");
}
void Backend::conv2d_backward(const Conv2dGeometry&, const Tensor&, const Tensor&, const Tensor&, Tensor*, Tensor&,
                              Tensor&) {
  unsupported(*this, "conv2d_backward");
}
void Backend::maxpool2d_forward(const Pool2dGeometry&, const Tensor&, Tensor&) { unsupported(*this, "maxpool2d_forward"); }
void Backend::maxpool2d_backward(const Pool2dGeometry&, const Tensor&, const Tensor&, Tensor&) {
  unsupported(*this, "maxpool2d_backward");
}
void Backend::dropout_forward(const Tensor&, const Tensor&, Tensor&) { unsupported(*this, "dropout_forward"); }
void Backend::dropout_backward(const Tensor&, const Tensor&, Tensor&) { unsupported(*this, "dropout_backward"); }

}  // namespace nnplay
