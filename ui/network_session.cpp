// A training run of a 2D classifier, advanced in time-bounded slices.
#include "network_session.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <cmath>
#include <numeric>

#include "nnplay/error.h"
#include "nnplay/trainer.h"

namespace nnplay::ui {

namespace {

// Shuffling draws from its own stream so that changing the batch size never changes the
// initial weights drawn from the same seed.
constexpr uint64_t kShuffleStream = 0x6e6e706c61790001ULL;

void upload(Backend& backend, Tensor& t, const std::vector<float>& host, Shape shape) {
  t = Tensor(backend, std::move(shape));
  if (!host.empty()) t.from_host(host);
}

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

void Curves::add(int at_epoch, float trl, float tel, float tra, float tea) {
  if (at_epoch % stride != 0) return;
  epoch.push_back(float(at_epoch));
  train_loss.push_back(trl);
  test_loss.push_back(tel);
  train_acc.push_back(tra);
  test_acc.push_back(tea);
  if (epoch.size() < kMaxPoints) return;
  // Keep the points at multiples of the doubled stride (epoch 0 included).
  stride *= 2;
  size_t kept = 0;
  for (size_t i = 0; i < epoch.size(); ++i) {
    if (int(epoch[i]) % stride != 0) continue;
    epoch[kept] = epoch[i];
    train_loss[kept] = train_loss[i];
    test_loss[kept] = test_loss[i];
    train_acc[kept] = train_acc[i];
    test_acc[kept] = test_acc[i];
    ++kept;
  }
  for (auto* v : {&epoch, &train_loss, &test_loss, &train_acc, &test_acc}) v->resize(kept);
}

NetworkSession::NetworkSession(const NetworkConfig& cfg, uint64_t generation)
    : cfg_(cfg),
      generation_(generation),
      backend_(make_cpu_backend(1)),
      init_rng_(cfg.data.seed),
      shuffle_rng_(cfg.data.seed, kShuffleStream) {
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
  upload(*backend_, train_x_, tr.x, {tr.size(), 2});
  upload(*backend_, train_y_, tr.y, {tr.size(), 1});
  upload(*backend_, test_x_, te.x, {te.size(), 2});
  upload(*backend_, test_y_, te.y, {te.size(), 1});
  order_.resize(size_t(tr.size()));
  std::iota(order_.begin(), order_.end(), 0u);
  evaluate();
}

NetworkSession::~NetworkSession() = default;

void NetworkSession::set_running(bool on) {
  // A finished or diverged run does not restart by itself: raise the limit or reset.
  running_ = on && epoch_ < cfg_.max_epochs && error_.empty();
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
  if (epoch_ >= cfg_.max_epochs) running_ = false;
  ++version_;
}

void NetworkSession::train_batch() {
  const int64_t n = data_->train.size();
  const bool full = cfg_.batch <= 0 || cfg_.batch >= n;
  if (cursor_ == 0 && !full) shuffle(order_.data(), uint32_t(order_.size()), shuffle_rng_);
  const int64_t bs = full ? n : cfg_.batch;
  const int64_t take = std::min<int64_t>(bs, n - int64_t(cursor_));
  const Tensor* x = &train_x_;
  const Tensor* y = &train_y_;
  if (!full) {
    const size_t m = static_cast<size_t>(take);
    std::vector<float> hx(2 * m), hy(m);
    for (int64_t k = 0; k < take; ++k) {
      uint32_t i = order_[cursor_ + size_t(k)];
      hx[2 * size_t(k)] = data_->train.x[2 * size_t(i)];
      hx[2 * size_t(k) + 1] = data_->train.x[2 * size_t(i) + 1];
      hy[size_t(k)] = data_->train.y[i];
    }
    if (x_.backend() == nullptr) {
      x_ = Tensor(*backend_, {take, 2});
      y_ = Tensor(*backend_, {take, 1});
    }
    x_.resize({take, 2});
    y_.resize({take, 1});
    x_.from_host(hx);
    y_.from_host(hy);
    x = &x_;
    y = &y_;
  }
  if (dpred_.backend() == nullptr) dpred_ = Tensor(*backend_, {take, 1});
  dpred_.resize({take, 1});
  try {
    train_step(*model_, *optimizer_, cfg_.loss, *x, y, nullptr, dpred_, epoch_ + 1, int64_t(cursor_ / size_t(bs)) + 1);
  } catch (const DivergenceError& e) {
    error_ = e.what();
    running_ = false;
    ++version_;
    return;
  }
  cursor_ += size_t(take);
  if (cursor_ >= size_t(n)) {
    cursor_ = 0;
    ++epoch_;
    evaluate();
    if (epoch_ >= cfg_.max_epochs) running_ = false;
  }
  ++version_;
}

int NetworkSession::train_for(double budget_ms) {
  using clock = std::chrono::steady_clock;
  const auto now = clock::now();
  const auto until = now + std::chrono::microseconds(int64_t(budget_ms * 1000.0));
  const int start = epoch_;
  int allowed = std::numeric_limits<int>::max();
  if (cfg_.speed > 0) {
    // Earn epochs with elapsed time; at most a quarter second's worth, so that a pause
    // (a hidden browser tab) is not followed by a burst.
    const double t = std::chrono::duration<double>(now.time_since_epoch()).count();
    const double dt = last_pump_ < 0 ? 0.0 : std::min(0.25, t - last_pump_);
    last_pump_ = t;
    credit_ = std::min(credit_ + dt * cfg_.speed, std::max(1.0, 0.25 * cfg_.speed));
    allowed = int(credit_);
    // A partly trained epoch may finish: the limit counts whole epochs.
    if (allowed == 0 && cursor_ == 0) return 0;
  }
  while (running_ && clock::now() < until && (epoch_ - start < allowed || cursor_ != 0)) train_batch();
  if (cfg_.speed > 0) credit_ = std::max(0.0, credit_ - double(epoch_ - start));
  return epoch_ - start;
}

void NetworkSession::set_speed(int epochs_per_second) {
  cfg_.speed = std::max(0, epochs_per_second);
  credit_ = 0;
  last_pump_ = -1;
  ++version_;
}

void NetworkSession::step_epoch() {
  if (!error_.empty() || epoch_ >= cfg_.max_epochs) return;
  const int target = epoch_ + 1;
  while (epoch_ < target && error_.empty()) train_batch();
}

void NetworkSession::evaluate_split(const Tensor& x, const Tensor& y, float& loss, float& acc) {
  if (x.empty()) {
    loss = std::nanf("");
    acc = std::nanf("");
    return;
  }
  const Tensor& pred = model_->forward(x);
  loss = backend_->loss_forward(cfg_.loss, pred, &y, nullptr);
  std::vector<float> p = pred.to_host(), t = y.to_host();
  int correct = 0;
  for (size_t i = 0; i < p.size(); ++i) correct += (p[i] > 0.5f ? 1.0f : 0.0f) == t[i];
  acc = float(correct) / float(p.size());
}

void NetworkSession::evaluate() {
  evaluate_split(train_x_, train_y_, train_loss_, train_acc_);
  if (cfg_.data.kind == Toy2D::Xor) {
    // The four XOR points are their own test set: no second pass needed.
    test_loss_ = train_loss_;
    test_acc_ = train_acc_;
  } else {
    evaluate_split(test_x_, test_y_, test_loss_, test_acc_);
  }
  curves_.add(epoch_, train_loss_, test_loss_, train_acc_, test_acc_);
}

NetworkSnapshot NetworkSession::snapshot() const {
  NetworkSnapshot s;
  s.version = version_;
  s.generation = generation_;
  s.epoch = epoch_;
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
