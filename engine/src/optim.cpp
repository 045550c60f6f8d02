// SGD and Adam over the flat parameter buffer.
#include "nnplay/optim.h"

#include <cmath>
#include <cstdio>

#include "nnplay/error.h"

namespace nnplay {

Sgd::Sgd(ParameterSet& params, SgdParams p) : Optimizer(params), p_(p) {
  if (p.momentum != 0.0f) momentum_ = Tensor(*params.data().backend(), {params.total()});
}

void Sgd::update(const int32_t* halt) {
  ++t_;
  params_.data().backend()->sgd_step(p_, t_, params_.data(), params_.grad(), momentum_, halt);
}

std::string Sgd::describe() const {
  char buf[128];
  std::snprintf(buf, sizeof buf, "SGD(lr=%g, momentum=%g, weight_decay=%g)", double(p_.lr), double(p_.momentum),
                double(p_.weight_decay));
  return buf;
}

Adam::Adam(ParameterSet& params, AdamParams p) : Optimizer(params), p_(p) {
  m_ = Tensor(*params.data().backend(), {params.total()});
  v_ = Tensor(*params.data().backend(), {params.total()});
}

void Adam::update(const int32_t* halt) {
  ++t_;
  params_.data().backend()->adam_step(p_, t_, params_.data(), params_.grad(), m_, v_, halt);
}

std::string Adam::describe() const {
  char buf[128];
  std::snprintf(buf, sizeof buf, "Adam(lr=%g, betas=(%g, %g), eps=%g, weight_decay=%g)", double(p_.lr),
                double(p_.beta1), double(p_.beta2), double(p_.eps), double(p_.weight_decay));
  return buf;
}

std::unique_ptr<Optimizer> make_optimizer(ParameterSet& params, const OptimizerConfig& cfg) {
  if (!(cfg.lr > 0.0f) || !std::isfinite(cfg.lr))
    throw Error("learning rate must be a positive number, got " + std::to_string(cfg.lr));
  if (!(cfg.momentum >= 0.0f && cfg.momentum < 1.0f))
    throw Error("momentum must be in [0, 1), got " + std::to_string(cfg.momentum));
  if (!(cfg.weight_decay >= 0.0f) || !std::isfinite(cfg.weight_decay))
    throw Error("weight decay must be >= 0, got " + std::to_string(cfg.weight_decay));
  if (cfg.name == "sgd") return std::make_unique<Sgd>(params, SgdParams{cfg.lr, cfg.momentum, cfg.weight_decay});
  if (cfg.name == "adam") {
    AdamParams p;
    p.lr = cfg.lr;
    p.weight_decay = cfg.weight_decay;
    return std::make_unique<Adam>(params, p);
  }
  throw Error("unknown optimizer '" + cfg.name + "' (expected sgd or adam)");
}

}  // namespace nnplay
