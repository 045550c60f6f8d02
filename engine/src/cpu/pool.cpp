// Max pooling and the elementwise product dropout uses: direct loops (see conv.h).
#include "cpu/conv.h"

namespace nnplay::cpu {

namespace {
// The index (within the plane) of the first maximum of the window at output (r, c); the
// first wins ties, as in PyTorch, and a NaN wins over any number so that it propagates.
int64_t window_argmax(const Pool2dGeometry& g, const float* plane, int64_t r, int64_t c) {
  int64_t best = (r * g.stride) * g.in_w + c * g.stride;
  for (int64_t i = 0; i < g.k; ++i)
    for (int64_t j = 0; j < g.k; ++j) {
      const int64_t at = (r * g.stride + i) * g.in_w + c * g.stride + j;
      const float v = plane[at];
      if (v > plane[best] || (v != v && plane[best] == plane[best])) best = at;
    }
  return best;
}
}  // namespace

void maxpool2d_forward(const Pool2dGeometry& g, int64_t n, const float* x, float* y) {
  const int64_t oh = g.out_h(), ow = g.out_w();
  for (int64_t plane = 0; plane < n * g.c; ++plane) {
    const float* src = x + plane * g.in_h * g.in_w;
    float* dst = y + plane * oh * ow;
    for (int64_t r = 0; r < oh; ++r)
      for (int64_t c = 0; c < ow; ++c) dst[r * ow + c] = src[window_argmax(g, src, r, c)];
  }
}

void maxpool2d_backward(const Pool2dGeometry& g, int64_t n, const float* x, const float* dy, float* dx) {
  const int64_t oh = g.out_h(), ow = g.out_w();
  for (int64_t plane = 0; plane < n * g.c; ++plane) {
    const float* src = x + plane * g.in_h * g.in_w;
    const float* d = dy + plane * oh * ow;
    float* out = dx + plane * g.in_h * g.in_w;
    for (int64_t i = 0; i < g.in_h * g.in_w; ++i) out[i] = 0.0f;
    for (int64_t r = 0; r < oh; ++r)
      for (int64_t c = 0; c < ow; ++c) out[window_argmax(g, src, r, c)] += d[r * ow + c];
  }
}

void multiply(const float* a, const float* b, float* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = a[i] * b[i];
}

}  // namespace nnplay::cpu
