// Max pooling and the elementwise product dropout uses: direct loops (see conv.h).
//
// The 2x2, stride 2 window (every CNN recipe's pool2) has its own loop, otherwise
// identical: the same comparisons in the same order, unrolled and written as selects.
// Which element of a window is largest is a coin toss on real feature maps, so the
// generic loop's branches mispredict about once a window, and pooling reads the
// largest feature map of the network twice per step.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "cpu/conv.h"

namespace nnplay::cpu {

namespace {
// Whether v replaces best as the window's maximum: the first maximum wins ties, as in
// PyTorch, and a NaN wins over any number so that it propagates. (Bitwise operators:
// no short-circuit branch.)
inline bool beats(float v, float best) { return (v > best) | ((v != v) & (best == best)); }

// The index (within the plane) of the first maximum of the window at output (r, c).
int64_t window_argmax(const Pool2dGeometry& g, const float* plane, int64_t r, int64_t c) {
  int64_t best = (r * g.stride) * g.in_w + c * g.stride;
  for (int64_t i = 0; i < g.k; ++i)
    for (int64_t j = 0; j < g.k; ++j) {
      const int64_t at = (r * g.stride + i) * g.in_w + c * g.stride + j;
      if (beats(plane[at], plane[best])) best = at;
    }
  return best;
}

// The same for a 2x2 window at top-left index at: 0..3 in reading order.
// m ? a : b through bit masks: GCC compiles the plain conditional on floats into jumps.
inline float select(bool m, float a, float b) {
  const uint32_t k = 0u - uint32_t(m);
  uint32_t ua, ub;
  std::memcpy(&ua, &a, 4);
  std::memcpy(&ub, &b, 4);
  const uint32_t u = (ua & k) | (ub & ~k);
  float out;
  std::memcpy(&out, &u, 4);
  return out;
}
inline int select(bool m, int a, int b) {
  const int k = -int(m);
  return (a & k) | (b & ~k);
}

inline int argmax2x2(const float* top, const float* bottom) {
  const float a = top[0], b = top[1], c = bottom[0], d = bottom[1];
  const bool kb = beats(b, a);
  float bv = select(kb, b, a);
  int best = select(kb, 1, 0);
  const bool kc = beats(c, bv);
  bv = select(kc, c, bv);
  best = select(kc, 2, best);
  return select(beats(d, bv), 3, best);
}

// The maximum of a 2x2 window, by the same comparisons.
inline float max2x2(const float* top, const float* bottom) {
  float bv = top[0];
  bv = select(beats(top[1], bv), top[1], bv);
  bv = select(beats(bottom[0], bv), bottom[0], bv);
  return select(beats(bottom[1], bv), bottom[1], bv);
}

bool is_2x2(const Pool2dGeometry& g) { return g.k == 2 && g.stride == 2; }
}  // namespace

void maxpool2d_forward(const Pool2dGeometry& g, int64_t n, const float* x, float* y) {
  const int64_t oh = g.out_h(), ow = g.out_w();
  for (int64_t plane = 0; plane < n * g.c; ++plane) {
    const float* src = x + plane * g.in_h * g.in_w;
    float* dst = y + plane * oh * ow;
    if (is_2x2(g)) {
      for (int64_t r = 0; r < oh; ++r) {
        const float* top = src + 2 * r * g.in_w;
        const float* bottom = top + g.in_w;
        for (int64_t c = 0; c < ow; ++c) dst[r * ow + c] = max2x2(top + 2 * c, bottom + 2 * c);
      }
      continue;
    }
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
    if (is_2x2(g)) {
      // The windows tile the plane, so each input is written once (its gradient or 0);
      // only a last odd row or column, outside every window, needs zeroing apart.
      for (int64_t r = 0; r < oh; ++r) {
        const float* top = src + 2 * r * g.in_w;
        const float* bottom = top + g.in_w;
        float* otop = out + 2 * r * g.in_w;
        float* obottom = otop + g.in_w;
        for (int64_t c = 0; c < ow; ++c) {
          const int a = argmax2x2(top + 2 * c, bottom + 2 * c);
          const float v = d[r * ow + c];
          otop[2 * c] = select(a == 0, v, 0.0f);
          otop[2 * c + 1] = select(a == 1, v, 0.0f);
          obottom[2 * c] = select(a == 2, v, 0.0f);
          obottom[2 * c + 1] = select(a == 3, v, 0.0f);
        }
        if (g.in_w > 2 * ow) otop[2 * ow] = obottom[2 * ow] = 0.0f;
      }
      if (g.in_h > 2 * oh) std::fill(out + 2 * oh * g.in_w, out + g.in_h * g.in_w, 0.0f);
      continue;
    }
    for (int64_t i = 0; i < g.in_h * g.in_w; ++i) out[i] = 0.0f;
    for (int64_t r = 0; r < oh; ++r)
      for (int64_t c = 0; c < ow; ++c) out[window_argmax(g, src, r, c)] += d[r * ow + c];
  }
}

void multiply(const float* a, const float* b, float* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = a[i] * b[i];
}

}  // namespace nnplay::cpu
