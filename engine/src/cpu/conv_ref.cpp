// The reference convolution: the definition as direct loops, summing in double, for tests
// to hold the fast kernel (conv_fast.cpp) against. Slow; never on a hot path.
#include "cpu/conv.h"

namespace nnplay::cpu {

void conv2d_forward_ref(const Conv2dGeometry& g, int64_t n, const float* x, const float* W, const float* b, float* y) {
  const int64_t oh = g.out_h(), ow = g.out_w();
  for (int64_t img = 0; img < n; ++img)
    for (int64_t o = 0; o < g.out_c; ++o)
      for (int64_t r = 0; r < oh; ++r)
        for (int64_t c = 0; c < ow; ++c) {
          double acc = b ? b[o] : 0.0;
          for (int64_t ci = 0; ci < g.in_c; ++ci)
            for (int64_t i = 0; i < g.kh; ++i)
              for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t ih = r * g.stride - g.padding + i, iw = c * g.stride - g.padding + j;
                if (ih < 0 || ih >= g.in_h || iw < 0 || iw >= g.in_w) continue;  // zero padding
                acc += double(x[((img * g.in_c + ci) * g.in_h + ih) * g.in_w + iw]) *
                       double(W[((o * g.in_c + ci) * g.kh + i) * g.kw + j]);
              }
          y[((img * g.out_c + o) * oh + r) * ow + c] = float(acc);
        }
}

void conv2d_backward_ref(const Conv2dGeometry& g, int64_t n, const float* x, const float* W, const float* dy, float* dx,
                         float* dW, float* db) {
  const int64_t oh = g.out_h(), ow = g.out_w();
  auto in_at = [&](int64_t img, int64_t ci, int64_t ih, int64_t iw) {
    return ((img * g.in_c + ci) * g.in_h + ih) * g.in_w + iw;
  };
  auto out_at = [&](int64_t img, int64_t o, int64_t r, int64_t c) { return ((img * g.out_c + o) * oh + r) * ow + c; };
  // dW[o, ci, i, j] = Σ over images and output positions of dy · the input under (i, j).
  for (int64_t o = 0; o < g.out_c; ++o)
    for (int64_t ci = 0; ci < g.in_c; ++ci)
      for (int64_t i = 0; i < g.kh; ++i)
        for (int64_t j = 0; j < g.kw; ++j) {
          double acc = 0.0;
          for (int64_t img = 0; img < n; ++img)
            for (int64_t r = 0; r < oh; ++r)
              for (int64_t c = 0; c < ow; ++c) {
                const int64_t ih = r * g.stride - g.padding + i, iw = c * g.stride - g.padding + j;
                if (ih < 0 || ih >= g.in_h || iw < 0 || iw >= g.in_w) continue;
                acc += double(dy[out_at(img, o, r, c)]) * double(x[in_at(img, ci, ih, iw)]);
              }
          float& w = dW[((o * g.in_c + ci) * g.kh + i) * g.kw + j];
          w = float(double(w) + acc);
        }
  if (db)
    for (int64_t o = 0; o < g.out_c; ++o) {
      double acc = 0.0;
      for (int64_t img = 0; img < n; ++img)
        for (int64_t k = 0; k < oh * ow; ++k) acc += dy[out_at(img, o, 0, 0) + k];
      db[o] = float(double(db[o]) + acc);
    }
  if (!dx) return;
  // dx[ci, ih, iw] = Σ over the windows covering it of dy · the weight it met there.
  for (int64_t img = 0; img < n; ++img)
    for (int64_t ci = 0; ci < g.in_c; ++ci)
      for (int64_t ih = 0; ih < g.in_h; ++ih)
        for (int64_t iw = 0; iw < g.in_w; ++iw) {
          double acc = 0.0;
          for (int64_t o = 0; o < g.out_c; ++o)
            for (int64_t i = 0; i < g.kh; ++i)
              for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t rs = ih + g.padding - i, cs = iw + g.padding - j;
                if (rs < 0 || cs < 0 || rs % g.stride != 0 || cs % g.stride != 0) continue;
                const int64_t r = rs / g.stride, c = cs / g.stride;
                if (r >= oh || c >= ow) continue;
                acc += double(dy[out_at(img, o, r, c)]) * double(W[((o * g.in_c + ci) * g.kh + i) * g.kw + j]);
              }
          dx[in_at(img, ci, ih, iw)] = float(acc);
        }
}

}  // namespace nnplay::cpu
