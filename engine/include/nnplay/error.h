// The engine's error types. Library code never prints or exits: it throws one of these
// with a message that names the problem (file, op, shape), and the caller decides.
#pragma once

#include <stdexcept>
#include <string>

namespace nnplay {

// Anything the user can fix: a bad file, a wrong shape, an invalid option.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A loss that became NaN or infinite during training.
class DivergenceError : public Error {
 public:
  DivergenceError(const std::string& what, int at_epoch, long at_step, float bad_loss)
      : Error(what), epoch(at_epoch), step(at_step), loss(bad_loss) {}
  int epoch;
  long step;
  float loss;
};

}  // namespace nnplay
