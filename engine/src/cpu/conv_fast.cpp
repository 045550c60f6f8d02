// The fast convolution: im2col into the project's GEMM (see conv.h).
//
// A chunk of nb images is unfolded into cols [K, nb·P] (K = in_c·kh·kw, one row per kernel
// tap; P = out_h·out_w, one column per output position), so that the whole chunk is one
// product: Y [out_c, nb·P] = W [out_c, K] · cols. Backward is two more products over the
// same columns: dW += dY · colsᵀ and dcols = Wᵀ · dY, folded back onto dx (col2im). Chunks
// of a few images keep the scratch small enough to stay in cache (kScratchBudget); the
// chunk size depends on the shape only, so results do not depend on anything else, and
// the GEMM keeps them bit-identical for any thread count.
#include <algorithm>
#include <cstring>

#include "cpu/conv.h"
#include "cpu/gemm.h"

namespace nnplay::cpu {

namespace {

// Floats of scratch a chunk may use (1 MB): the columns, the product and the
// gradients of a chunk then stay in the core's L2 cache between the passes that write
// and read them (im2col, the GEMMs, the copy out, col2im); with the whole batch in one
// chunk every pass went out to L3 or memory.
constexpr int64_t kScratchBudget = int64_t(1) << 18;

struct Layout {
  int64_t K, P, nb;  // kernel taps, output positions per image, images per chunk
};

Layout layout(const Conv2dGeometry& g, int64_t n) {
  Layout l;
  l.K = g.in_c * g.kh * g.kw;
  l.P = g.out_h() * g.out_w();
  l.nb = std::max<int64_t>(1, std::min<int64_t>(n, kScratchBudget / ((2 * l.K + g.out_c) * l.P)));
  return l;
}

// The output columns c whose window tap at column offset j lands inside the input
// (iw = c·stride − padding + j in [0, in_w)): [first, last), within [0, out_w]. A tap can
// see only padding in every column (a kernel wider than the input, padded: conv9x9/p2 on
// 5 columns has one output column, and its tap 0 reads column −2): first is then clamped
// to out_w, or the zero fill before it would run past the row.
void valid_range(const Conv2dGeometry& g, int64_t j, int64_t& first, int64_t& last) {
  const int64_t lo = g.padding - j, hi = g.in_w - 1 + g.padding - j;
  first = lo <= 0 ? 0 : std::min(g.out_w(), (lo + g.stride - 1) / g.stride);
  last = hi < 0 ? 0 : std::min(g.out_w(), hi / g.stride + 1);
  if (last < first) last = first;
}

// cols[k, img·P + p] = x under tap k of output position p (0 in the padding).
void im2col(const Conv2dGeometry& g, const Layout& l, int64_t nb, const float* x, float* cols) {
  const int64_t oh = g.out_h(), ow = g.out_w(), ld = nb * l.P;
  for (int64_t ci = 0; ci < g.in_c; ++ci)
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        float* row = cols + ((ci * g.kh + i) * g.kw + j) * ld;
        int64_t c0, c1;
        valid_range(g, j, c0, c1);
        for (int64_t img = 0; img < nb; ++img) {
          const float* plane = x + (img * g.in_c + ci) * g.in_h * g.in_w;
          for (int64_t r = 0; r < oh; ++r) {
            float* d = row + img * l.P + r * ow;
            const int64_t ih = r * g.stride - g.padding + i;
            if (ih < 0 || ih >= g.in_h) {
              std::fill(d, d + ow, 0.0f);
              continue;
            }
            const float* src = plane + ih * g.in_w - g.padding + j;
            std::fill(d, d + c0, 0.0f);
            if (g.stride == 1)  // a contiguous run: copied as a block
              std::copy(src + c0, src + c1, d + c0);
            else
              for (int64_t c = c0; c < c1; ++c) d[c] = src[c * g.stride];
            std::fill(d + c1, d + ow, 0.0f);
          }
        }
      }
}

// dx (zeroed here) = the sum of dcols folded back onto the input positions they came from.
void col2im(const Conv2dGeometry& g, const Layout& l, int64_t nb, const float* dcols, float* dx) {
  const int64_t oh = g.out_h(), ow = g.out_w(), ld = nb * l.P;
  std::fill(dx, dx + nb * g.in_c * g.in_h * g.in_w, 0.0f);
  for (int64_t ci = 0; ci < g.in_c; ++ci)
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        const float* row = dcols + ((ci * g.kh + i) * g.kw + j) * ld;
        int64_t c0, c1;
        valid_range(g, j, c0, c1);
        for (int64_t img = 0; img < nb; ++img) {
          float* plane = dx + (img * g.in_c + ci) * g.in_h * g.in_w;
          for (int64_t r = 0; r < oh; ++r) {
            const int64_t ih = r * g.stride - g.padding + i;
            if (ih < 0 || ih >= g.in_h) continue;
            const float* s = row + img * l.P + r * ow;
            float* __restrict dst = plane + ih * g.in_w - g.padding + j;
            if (g.stride == 1)  // unit stride lets the compiler vectorise the sum
              for (int64_t c = c0; c < c1; ++c) dst[c] += s[c];
            else
              for (int64_t c = c0; c < c1; ++c) dst[c * g.stride] += s[c];
          }
        }
      }
}

// db[o] += Σ row o of m [rows, cols]. Eight partial sums per row, added in a fixed order:
// the compiler may then keep them in one vector register (a single running sum is a
// chain of dependent adds it must not reorder), and the result still depends on the
// shape alone.
void sum_rows(const float* m, int64_t rows, int64_t cols, float* db) {
  constexpr int kLanes = 8;
  for (int64_t o = 0; o < rows; ++o) {
    const float* row = m + o * cols;
    float part[kLanes] = {};
    int64_t k = 0;
    for (; k + kLanes <= cols; k += kLanes)
      for (int q = 0; q < kLanes; ++q) part[q] += row[k + q];
    float s = 0.0f;
    for (int q = 0; q < kLanes; ++q) s += part[q];
    for (; k < cols; ++k) s += row[k];
    db[o] += s;
  }
}

float* grow(std::vector<float>& scratch, int64_t floats) {
  if (int64_t(scratch.size()) < floats) scratch.resize(size_t(floats));
  return scratch.data();
}

}  // namespace

void conv2d_forward(ThreadPool* pool, std::vector<float>& scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                    const float* W, const float* b, float* y) {
  const Layout l = layout(g, n);
  float* cols = grow(scratch, (l.K + g.out_c) * l.nb * l.P);
  float* out = cols + l.K * l.nb * l.P;
  const int64_t in_size = g.in_c * g.in_h * g.in_w, out_size = g.out_c * l.P;
  for (int64_t first = 0; first < n; first += l.nb) {
    const int64_t nb = std::min(l.nb, n - first), ld = nb * l.P;
    im2col(g, l, nb, x + first * in_size, cols);
    gemm(pool, false, false, int(g.out_c), int(ld), int(l.K), 1.0f, W, int(l.K), cols, int(ld), 0.0f, out, int(ld));
    // out is [out_c, nb·P]; y wants [nb, out_c, P], with the bias added on the way.
    for (int64_t img = 0; img < nb; ++img)
      for (int64_t o = 0; o < g.out_c; ++o) {
        const float* s = out + o * ld + img * l.P;
        float* d = y + (first + img) * out_size + o * l.P;
        const float bias = b ? b[o] : 0.0f;
        for (int64_t p = 0; p < l.P; ++p) d[p] = s[p] + bias;
      }
  }
}

void conv2d_backward(ThreadPool* pool, std::vector<float>& scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                     const float* W, const float* dy, float* dx, float* dW, float* db) {
  const Layout l = layout(g, n);
  float* cols = grow(scratch, (2 * l.K + g.out_c) * l.nb * l.P);
  float* dout = cols + l.K * l.nb * l.P;
  float* dcols = dout + g.out_c * l.nb * l.P;
  const int64_t in_size = g.in_c * g.in_h * g.in_w, out_size = g.out_c * l.P;
  for (int64_t first = 0; first < n; first += l.nb) {
    const int64_t nb = std::min(l.nb, n - first), ld = nb * l.P;
    // dy's [nb, out_c, P] as [out_c, nb·P], the layout of the forward product.
    for (int64_t img = 0; img < nb; ++img)
      for (int64_t o = 0; o < g.out_c; ++o)
        std::memcpy(dout + o * ld + img * l.P, dy + (first + img) * out_size + o * l.P, size_t(l.P) * sizeof(float));
    if (db) sum_rows(dout, g.out_c, ld, db);
    im2col(g, l, nb, x + first * in_size, cols);
    // dW [out_c, K] += dout [out_c, nb·P] · colsᵀ
    gemm(pool, false, true, int(g.out_c), int(l.K), int(ld), 1.0f, dout, int(ld), cols, int(ld), 1.0f, dW, int(l.K));
    if (!dx) continue;
    // dcols [K, nb·P] = Wᵀ [K, out_c] · dout
    gemm(pool, true, false, int(l.K), int(ld), int(g.out_c), 1.0f, W, int(l.K), dout, int(ld), 0.0f, dcols, int(ld));
    col2im(g, l, nb, dcols, dx + first * in_size);
  }
}

}  // namespace nnplay::cpu
