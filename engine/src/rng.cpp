// The normal draw of nnplay::Rng (the rest is inline in rng.h).
#include <cmath>

#include "nnplay/rng.h"

namespace nnplay {

float Rng::normal() {
  // Box-Muller; u1 is kept away from 0 so that log stays finite.
  float u1 = (static_cast<float>(next_u32() >> 8) + 0.5f) * (1.0f / 16777216.0f);
  float u2 = uniform();
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.28318530717958647692f * u2);
}

}  // namespace nnplay
