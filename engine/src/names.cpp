// Names of activations and losses, as the CLI, the UI and weight-file metadata spell them.
#include <string>

#include "nnplay/backend.h"
#include "nnplay/error.h"

namespace nnplay {

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::None: return "none";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::ReLU: return "relu";
    case Activation::Tanh: return "tanh";
    case Activation::Step: return "step";
  }
  return "?";
}

Activation parse_activation(const std::string& s) {
  for (Activation a : {Activation::None, Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::Step})
    if (s == activation_name(a)) return a;
  throw Error("unknown activation '" + s + "' (expected none, sigmoid, relu, tanh or step)");
}

const char* loss_name(LossKind k) {
  switch (k) {
    case LossKind::MSE: return "mse";
    case LossKind::BCE: return "bce";
    case LossKind::CrossEntropy: return "cross_entropy";
    case LossKind::NLL: return "nll";
  }
  return "?";
}

LossKind parse_loss(const std::string& s) {
  for (LossKind k : {LossKind::MSE, LossKind::BCE, LossKind::CrossEntropy, LossKind::NLL})
    if (s == loss_name(k)) return k;
  throw Error("unknown loss '" + s + "' (expected mse, bce, cross_entropy or nll)");
}

}  // namespace nnplay
