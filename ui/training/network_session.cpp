// A training run of a 2D classifier, advanced in time-bounded slices.
#include "training/network_session.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <cmath>
#include <numeric>

#include "nnplay/error.h"
#include "nnplay/evaluator.h"
#include "nnplay/trainer.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

// Shuffling draws from its own stream so that changing the batch size never changes the
// initial weights drawn from the same seed.
constexpr uint64_t kShuffleStream = 0x6e6e706c61790001ULL;

}  // namespace

NetworkConfig network_config(const NetworkSettings& s) {
  NetworkConfig c;
  c.data.kind = s.dataset;
  c.data.count = s.points;
  c.data.noise = s.noise;
  c.data.test_fraction = s.test_fraction;
  c.data.seed = s.seed;
  c.spec.sizes = s.layers;
  c.spec.hidden = s.activation;
  c.spec.output = Activation::Sigmoid;  // one probability out, as in the tutorial
  c.loss = s.loss;
  c.optimizer.name = s.optimizer;
  c.optimizer.lr = s.lr;
  c.batch = s.batch;
  c.max_epochs = s.epochs;
  c.speed = s.speed;
  return c;
}

NetworkSession::NetworkSession(const NetworkConfig& cfg, uint64_t generation)
    : cfg_(cfg), generation_(generation), backend_(make_cpu_backend(1)), init_rng_(cfg.data.seed) {
  if (cfg_.spec.sizes.size() < 2 || cfg_.spec.sizes.front() != 2 || cfg_.spec.sizes.back() != 1)
    throw Error("the 2D classifier must map 2 inputs to 1 output, got " + format_layers(cfg_.spec.sizes));
  if (cfg_.loss != LossKind::BCE && cfg_.loss != LossKind::MSE)
    throw Error("the 2D classifier has one sigmoid output: use the bce or mse loss");
  if (cfg_.max_epochs < 1) throw Error("the epoch limit must be at least 1");
  data_ = std::make_shared<const Toy2DSplit>(make_toy2d_split(cfg_.data));
  // The model draws its initial weights first from a generator of its own, exactly as
  // the tutorial's XOR run (train_xor) does, so the default reproduces its numbers.
  model_ = std::make_unique<Sequential>(*backend_, cfg_.spec, init_rng_);
  optimizer_ = make_optimizer(model_->parameters(), cfg_.optimizer);
  const Points2D& tr = data_->train;
  const Points2D& te = data_->test;
  train_batches_ = std::make_unique<PointBatches>(*backend_, tr.x, tr.y, 2, std::max(0, cfg_.batch),
                                                  Rng(cfg_.data.seed, kShuffleStream));
  train_all_ = std::make_unique<PointBatches>(*backend_, tr.x, tr.y, 2);
  if (te.size() > 0) test_all_ = std::make_unique<PointBatches>(*backend_, te.x, te.y, 2);
  trainer_ = std::make_unique<Trainer>(*model_, *optimizer_, cfg_.loss, *train_batches_);
  trainer_->set_events({{}, [this](const EpochResult&) { on_epoch(); }});
  evaluate();
}

NetworkSession::~NetworkSession() = default;

void NetworkSession::set_running(bool on) {
  // A finished or diverged run does not restart by itself: raise the limit or reset.
  running_ = on && epoch() < cfg_.max_epochs && error_.empty();
  credit_ = 0;
  last_pump_ = -1;
  ++version_;
}

void NetworkSession::set_lr(float lr) {
  if (!(lr > 0.0f) || !std::isfinite(lr)) throw Error("learning rate must be positive and finite");
  optimizer_->set_lr(lr);
  cfg_.optimizer.lr = lr;
  ++version_;
}

void NetworkSession::set_activation(Activation a) {
  model_->set_hidden_activation(a);
  cfg_.spec.hidden = a;
  ++version_;
}

void NetworkSession::set_max_epochs(int n) {
  cfg_.max_epochs = n < 1 ? 1 : n;
  if (epoch() >= cfg_.max_epochs) running_ = false;
  ++version_;
}

void NetworkSession::on_epoch() {
  evaluate();
  if (epoch() >= cfg_.max_epochs) running_ = false;
  ++version_;
}

void NetworkSession::diverged(const DivergenceError& e) {
  error_ = e.what();
  running_ = false;
  ++version_;
}

int NetworkSession::train_for(double budget_ms) {
  if (!running_) return 0;
  const int start = epoch();
  const int64_t per_epoch = trainer_->steps_per_epoch();
  // Steps left in a partly trained epoch, and to the epoch limit.
  const int64_t partial = trainer_->mid_epoch() ? per_epoch - trainer_->step_in_epoch() : 0;
  int64_t max_steps = int64_t(cfg_.max_epochs - start) * per_epoch - trainer_->step_in_epoch();
  if (cfg_.speed > 0) {
    // Earn epochs with elapsed time; at most a quarter second's worth, so that a pause
    // (a hidden browser tab) is not followed by a burst.
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    const double dt = last_pump_ < 0 ? 0.0 : std::min(0.25, t - last_pump_);
    last_pump_ = t;
    credit_ = std::min(credit_ + dt * cfg_.speed, std::max(1.0, 0.25 * cfg_.speed));
    const int64_t allowed = int64_t(credit_);
    // A partly trained epoch may finish (it counts as one): the limit counts whole epochs.
    max_steps = std::min(max_steps, partial + std::max<int64_t>(0, allowed - (partial > 0)) * per_epoch);
  }
  if (max_steps > 0) {
    try {
      trainer_->run_for(budget_ms, max_steps);
    } catch (const DivergenceError& e) {
      diverged(e);
    }
    ++version_;
  }
  if (cfg_.speed > 0) credit_ = std::max(0.0, credit_ - double(epoch() - start));
  return epoch() - start;
}

void NetworkSession::set_speed(int epochs_per_second) {
  cfg_.speed = std::max(0, epochs_per_second);
  credit_ = 0;
  last_pump_ = -1;
  ++version_;
}

void NetworkSession::set_parameters(const std::vector<float>& params) {
  Tensor& data = model_->parameters().data();
  if (int64_t(params.size()) != data.numel())
    throw Error("these weights have " + std::to_string(params.size()) + " values, the network has " +
                std::to_string(data.numel()));
  data.from_host(params);
  evaluate();
  ++version_;
}

void NetworkSession::step_epoch() {
  if (!error_.empty() || epoch() >= cfg_.max_epochs) return;
  try {
    trainer_->run_epoch();
  } catch (const DivergenceError& e) {
    diverged(e);
  }
  ++version_;
}

void NetworkSession::evaluate_split(PointBatches* split, float& loss, float& acc) {
  if (!split) {
    loss = std::nanf("");
    acc = std::nanf("");
    return;
  }
  const EvalResult& r = Evaluator(*model_, *split, cfg_.loss).run();
  loss = float(r.loss);
  acc = float(r.accuracy);
}

void NetworkSession::evaluate() {
  evaluate_split(train_all_.get(), train_loss_, train_acc_);
  if (cfg_.data.kind == Toy2D::Xor) {
    // The four XOR points are their own test set: no second pass needed.
    test_loss_ = train_loss_;
    test_acc_ = train_acc_;
  } else {
    evaluate_split(test_all_.get(), test_loss_, test_acc_);
  }
  curves_.add(epoch(), train_loss_, test_loss_, train_acc_, test_acc_);
}

NetworkSnapshot NetworkSession::snapshot() const {
  NetworkSnapshot s;
  s.version = version_;
  s.generation = generation_;
  s.epoch = epoch();
  s.max_epochs = cfg_.max_epochs;
  s.running = running_;
  s.error = error_;
  s.train_loss = train_loss_;
  s.test_loss = test_loss_;
  s.train_acc = train_acc_;
  s.test_acc = test_acc_;
  s.lr = optimizer_->lr();
  s.activation = cfg_.spec.hidden;
  s.config = cfg_;
  s.curves = curves_;
  s.params = model_->parameters().data().to_host();
  s.data = data_;
  return s;
}

}  // namespace nnplay::ui
