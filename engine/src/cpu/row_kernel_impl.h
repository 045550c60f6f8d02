// row_kernel_impl.h - the row kernels of row_kernel.h, written once with GCC/clang
// vector extensions. Each row_kernel_<isa>.cpp includes this file under different
// compile flags (always -ffp-contract=off: no FMA, so every build gives the same bits).
//
// Before including, define RK_NS (namespace, one per TU), RK_NAME and RK_VEC_BYTES.
// It defines `const RowKernel RK_NS::kernel`. This file includes no headers.

#include "cpu/row_kernel.h"

namespace nnplay::cpu::detail {
namespace RK_NS {

constexpr int kDoubles = RK_VEC_BYTES / 8;
typedef double vd __attribute__((vector_size(RK_VEC_BYTES)));
typedef long long vi64 __attribute__((vector_size(RK_VEC_BYTES)));
typedef double vd_u __attribute__((vector_size(RK_VEC_BYTES), aligned(8)));

// A plain loop: the compiler vectorises it well for each ISA (widening loads), better
// than it builds a vector of bytes by hand.
void convert_u8(const unsigned char* __restrict src, float* __restrict dst, row_idx n, float scale) {
  for (row_idx i = 0; i < n; ++i) dst[i] = float(src[i]) * scale;
}

// e^x = 2^k · e^r with k = round(x / ln 2) and r = x − k·ln 2 (ln 2 split in two parts so
// that k·ln2_hi is exact for |k| < 2^11), |r| ≤ 0.35, and e^r from its Taylor series to
// r^13 (the first term left out is below 2^−60 of the result).
inline vd exp_vec(vd x) {
  const vd shifter = vd{} + 0x1.8p52;  // adding it rounds to an integer in the low bits
  const vd lo = vd{} - 700.0;
  const vd xc = x < lo ? lo : x;  // a NaN compares false and stays
  const vd kd = xc * 0x1.71547652b82fep0 + shifter;
  const vd k = kd - shifter;
  vd r = xc - k * 0x1.62e42fefa3800p-1;
  r = r - k * 0x1.ef35793c76730p-45;
  vd p = vd{} + 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // k is an integer in [−1010, 1] here: add it to the exponent field of p (in [0.7, 1.5)).
  const vi64 ki = reinterpret_cast<vi64>(kd) - reinterpret_cast<vi64>(shifter);
  const vd y = reinterpret_cast<vd>(reinterpret_cast<vi64>(p) + (ki << 52));
  return x == x ? y : x;
}

void exp_f64(const double* x, double* y, row_idx n) {
  row_idx i = 0;
  for (; i + kDoubles <= n; i += kDoubles)
    *reinterpret_cast<vd_u*>(y + i) = exp_vec(*reinterpret_cast<const vd_u*>(x + i));
  if (i < n) {  // the tail through one vector, so it gets the same bits
    vd v = vd{};
    for (row_idx j = i; j < n; ++j) v[j - i] = x[j];
    const vd e = exp_vec(v);
    for (row_idx j = i; j < n; ++j) y[j] = e[j - i];
  }
}

// The cross-entropy of row_kernel.h. Each loop below is flat or runs along a row, so it
// vectorises; sums run in the reference's order (the compiler may not reorder them).
double cross_entropy(const float* z, const int* labels, float* dz, row_idx n, row_idx c, double* scratch) {
  double* arg = scratch;
  double* e = scratch + n * c;
  double* lse = scratch + 2 * n * c;
  for (row_idx i = 0; i < n; ++i) {
    const float* zi = z + i * c;
    // The row's largest value, NaNs left out as fmax leaves them out (from −inf rather than
    // zi[0], so the loop has no branch: a row of NaNs gives −inf here and NaN in the
    // reference, and NaN everywhere after in both).
    float m = -__builtin_inff();
    for (row_idx j = 0; j < c; ++j) m = zi[j] > m ? zi[j] : m;
    const double md = m;
    for (row_idx j = 0; j < c; ++j) arg[i * c + j] = double(zi[j]) - md;
    lse[i] = md;
  }
  exp_f64(arg, e, n * c);
  double total = 0.0;
  for (row_idx i = 0; i < n; ++i) {
    double sum = 0.0;
    for (row_idx j = 0; j < c; ++j) sum += e[i * c + j];
    lse[i] += __builtin_log(sum);
    total += lse[i] - double(z[i * c + labels[i]]);
  }
  if (dz) {
    const double inv_n = 1.0 / double(n);
    for (row_idx i = 0; i < n; ++i)
      for (row_idx j = 0; j < c; ++j) arg[i * c + j] = double(z[i * c + j]) - lse[i];
    exp_f64(arg, e, n * c);
    for (row_idx k = 0; k < n * c; ++k) dz[k] = float(e[k] * inv_n);
    for (row_idx i = 0; i < n; ++i) dz[i * c + labels[i]] = float((e[i * c + labels[i]] - 1.0) * inv_n);
  }
  return total * (1.0 / double(n));
}

const RowKernel kernel = {RK_NAME, convert_u8, exp_f64, cross_entropy};

}  // namespace RK_NS
}  // namespace nnplay::cpu::detail
