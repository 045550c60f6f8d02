// The default bodies of the Backend ops a backend may leave out (convolution, pooling,
// dropout): each fails by name, so a model that needs one stops at its first use with
// the op and the backend named, never silently.
#include <string>

#include "nnplay/backend.h"
#include "nnplay/error.h"

namespace nnplay {

namespace {
[[noreturn]] void unsupported(const Backend& be, const char* op) {
  throw Error(std::string(op) + ": not supported by the " + be.name() + " backend");
}
}  // namespace

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
