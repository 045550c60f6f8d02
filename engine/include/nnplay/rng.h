// nnplay's own seeded random number generator (PCG32, XSH-RR variant).
//
// Everything that must be reproducible (weight initialisation, shuffling, synthetic
// datasets) draws from this generator, never from <random>'s distributions: those differ
// between standard libraries, while these few integer operations give the same numbers on
// g++, clang, Emscripten and nvcc host code.
#pragma once

#include <cstdint>

namespace nnplay {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0x853c49e6748fea9bULL, uint64_t stream = 0xda3e39cb94b95bdbULL) { reseed(seed, stream); }

  void reseed(uint64_t seed, uint64_t stream = 0xda3e39cb94b95bdbULL) {
    state_ = 0;
    inc_ = (stream << 1u) | 1u;
    next_u32();
    state_ += seed;
    next_u32();
  }

  uint32_t next_u32() {
    uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }

  // The generator's whole state, so that a checkpoint can continue the same sequence.
  struct State {
    uint64_t state;
    uint64_t inc;  // the stream; always odd
  };
  State state() const { return {state_, inc_}; }
  void set_state(const State& s) {
    state_ = s.state;
    inc_ = s.inc | 1u;
  }

  // Uniform in [0, 1): the top 24 bits, so every value is an exact float.
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

  // Uniform in [lo, hi).
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  // Unbiased integer in [0, n) (Lemire's method with rejection); n must be > 0.
  uint32_t below(uint32_t n) {
    uint64_t m = static_cast<uint64_t>(next_u32()) * n;
    uint32_t low = static_cast<uint32_t>(m);
    if (low < n) {
      uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        m = static_cast<uint64_t>(next_u32()) * n;
        low = static_cast<uint32_t>(m);
      }
    }
    return static_cast<uint32_t>(m >> 32);
  }

  // Standard normal by Box-Muller. Uses std::log/cos/sqrt, which are correctly rounded
  // enough in practice but not guaranteed bit-identical across libms: use it for
  // synthetic data, never for anything a test compares bit for bit across platforms.
  float normal();

 private:
  uint64_t state_ = 0;
  uint64_t inc_ = 0;
};

// Fisher-Yates shuffle of idx[0..n) driven by rng.
template <typename T>
void shuffle(T* idx, uint32_t n, Rng& rng) {
  for (uint32_t i = n; i > 1; --i) {
    uint32_t j = rng.below(i);
    T tmp = idx[i - 1];
    idx[i - 1] = idx[j];
    idx[j] = tmp;
  }
}

}  // namespace nnplay
