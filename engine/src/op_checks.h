// Shape checks shared by every backend's convolution and pooling ops, so that a misuse
// fails with the same message whichever backend runs it. Each returns the number of
// images and throws Error naming the op otherwise.
#pragma once

#include <cstdint>

#include "nnplay/backend.h"

namespace nnplay {

int64_t check_conv_shapes(const char* op, const Conv2dGeometry& g, const Tensor& x, const Tensor& W, const Tensor& b,
                          int64_t y_numel);
int64_t check_pool_shapes(const char* op, const Pool2dGeometry& g, const Tensor& x, const Tensor& y);

}  // namespace nnplay
