// An MNIST training run advanced in time-bounded slices (see mnist_session.h).
#include "mnist/mnist_session.h"

#include <algorithm>
#include <cmath>

#include "mnist/mnist_model.h"
#include "nnplay/error.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"

namespace nnplay::ui {

namespace {

constexpr uint64_t kFinetuneStream = 0x6d6e697374667401ULL;
// Test images per evaluation chunk: small enough that a chunk of an MLP's forward pass
// fits in a frame's slice in the page.
constexpr int64_t kEvalChunk = 250;
// Training points on the curves per epoch (at most; fewer when an epoch has fewer steps).
constexpr int64_t kPointsPerEpoch = 25;
constexpr double kParamsPeriod = 0.1;  // seconds between weight copies while training
constexpr double kRatePeriod = 0.5;    // seconds over which the throughput is measured
constexpr int kMaxPersonal = 64;

Dataset first(const Dataset& d, int64_t n) { return n > 0 && n < d.count ? d.head(n) : d; }

}  // namespace

MnistConfig mnist_config(const MnistSettings& s, int threads) {
  MnistConfig c;
  c.spec = mnist_model_spec(s);  // MLP widths or a layer list, logits out
  c.optimizer.name = s.optimizer;
  c.optimizer.lr = s.lr;
  c.batch = s.batch;
  c.max_epochs = s.epochs;
  c.seed = s.seed;
  c.device = s.device;
  c.threads = threads;
  c.train_count = s.train;
  c.test_count = s.test;
  return c;
}

MnistSession::MnistSession(const MnistConfig& cfg, std::shared_ptr<const MnistData> data, const MnistOrigin& origin,
                           uint64_t generation)
    : cfg_(cfg),
      generation_(generation),
      origin_(origin.label),
      origin_metadata_(origin.metadata),
      data_(std::move(data)),
      finetune_rng_(cfg.seed, kFinetuneStream) {
  if (cfg_.spec.sizes.size() < 2 || cfg_.spec.sizes.front() != 784 || cfg_.spec.sizes.back() != 10)
    throw Error("an MNIST model maps 784 pixels to 10 digits, not " + cfg_.spec.describe());
  if (cfg_.batch < 1) throw Error("the batch size must be at least 1");
  backend_ = make_backend(cfg_.device, cfg_.threads, &device_note_);
  // The recipe's seed streams (recipes.h), so that a run here matches `nnplay-train mnist`.
  Rng init_rng(cfg_.seed);
  model_ = std::make_unique<Sequential>(*backend_, cfg_.spec, init_rng);
  if (origin.params) {
    if (int64_t(origin.params->size()) != model_->parameters().total())
      throw Error(origin.label + ": holds " + std::to_string(origin.params->size()) + " weights but " +
                  cfg_.spec.describe() + " has " + std::to_string(model_->parameters().total()));
    model_->parameters().data().from_host(*origin.params);
  }
  optimizer_ = make_optimizer(model_->parameters(), cfg_.optimizer);
  x_ = Tensor(*backend_, {0});
  labels_ = Labels(*backend_, 0);
  if (data_) {
    train_ = first(data_->train, cfg_.train_count);
    test_ = first(data_->test, cfg_.test_count);
    if (train_.count >= cfg_.batch) {
      train_loader_ = std::make_unique<BatchLoader>(*backend_, train_, cfg_.batch, /*shuffle=*/true,
                                                    /*drop_last=*/true, shuffle_seed(cfg_.seed));
      trainer_ = std::make_unique<Trainer>(*model_, *optimizer_, LossKind::CrossEntropy, *train_loader_);
      trainer_->set_count_correct(true);
      trainer_->set_events({[this](const StepInfo& s) { on_step(s); }, [this](const EpochResult& e) { on_epoch(e); }});
    } else {
      error_ = "the batch (" + std::to_string(cfg_.batch) + ") is larger than the " + std::to_string(train_.count) +
               " training images: lower it or use more images";
    }
    // A file's recorded proof is checked first, on every test image loaded (the proof was
    // recorded on a whole test set), in the batches compute_proof uses.
    if (origin_metadata_.count(kProofKey) && data_->test.count > 0) {
      proof_loader_ = std::make_unique<BatchLoader>(*backend_, data_->test, kProofBatch, false, false, 0);
      proof_evaluator_ =
          std::make_unique<Evaluator>(*model_, *proof_loader_, LossKind::CrossEntropy, kProofImages);
    }
    if (test_.count > 0) start_eval();
  }
}

MnistSession::~MnistSession() = default;

bool MnistSession::has_work() const { return running_ || proof_evaluator_ || evaluator_ || finetune_left_ > 0; }

void MnistSession::set_running(bool on) {
  // A finished or diverged run does not restart by itself: raise the limit or reset.
  running_ = on && trainer_ && epoch() < cfg_.max_epochs && error_.empty();
  rate_since_ = Clock::now();
  rate_images_ = 0;
  if (!running_) rate_ = 0;
  ++version_;
}

void MnistSession::set_lr(float lr) {
  if (!(lr > 0.0f) || !std::isfinite(lr)) throw Error("learning rate must be positive and finite");
  optimizer_->set_lr(lr);
  cfg_.optimizer.lr = lr;
  ++version_;
}

void MnistSession::set_max_epochs(int n) {
  cfg_.max_epochs = std::max(1, n);
  if (epoch() >= cfg_.max_epochs) running_ = false;
  ++version_;
}

void MnistSession::finetune(std::vector<PersonalSample> samples, int steps) {
  if (samples.size() > size_t(kMaxPersonal)) samples.resize(size_t(kMaxPersonal));
  if (samples.empty() || steps < 1 || !data_ || train_.count == 0) return;
  personal_ = std::move(samples);
  finetune_left_ = steps;
  ++version_;
}

bool MnistSession::work_for(double budget_ms) {
  const auto started = Clock::now();
  const auto until = started + std::chrono::microseconds(int64_t(budget_ms * 1000.0));
  bool did = false;
  // Always at least one unit of work, so that progress never stalls on a slow device.
  do {
    if (proof_evaluator_) {
      proof_chunk();
    } else if (evaluator_) {
      eval_chunk();
    } else if (finetune_left_ > 0) {
      finetune_step();
    } else if (running_) {
      // The trainer fills what is left of the slice, stopping where one more step would
      // overrun it; another round here would always take that step.
      train_slice(std::chrono::duration<double, std::milli>(until - Clock::now()).count());
      did = true;
      break;
    } else {
      break;
    }
    did = true;
  } while (Clock::now() < until);
  if (running_) {
    const double dt = std::chrono::duration<double>(Clock::now() - rate_since_).count();
    if (dt >= kRatePeriod) {
      rate_ = double(rate_images_) / dt;
      rate_since_ = Clock::now();
      rate_images_ = 0;
      ++version_;
    }
  }
  return did;
}

void MnistSession::train_slice(double budget_ms) {
  // Up to the end of the epoch (its evaluation comes next) and never past the limit.
  const int64_t to_limit = int64_t(cfg_.max_epochs - epoch()) * trainer_->steps_per_epoch() - step_in_epoch();
  try {
    trainer_->run_for(budget_ms, std::max<int64_t>(1, to_limit), /*stop_at_epoch_end=*/true);
  } catch (const DivergenceError& e) {
    error_ = e.what();
    running_ = false;
  }
  ++version_;
}

void MnistSession::on_step(const StepInfo& s) {
  interval_correct_ += s.correct;
  interval_images_ += s.samples;
  interval_loss_ += s.loss;
  ++interval_steps_;
  images_trained_ += s.samples;
  rate_images_ += s.samples;
  pristine_ = false;
  touch_params();
  if (interval_steps_ >= std::max<int64_t>(1, s.steps / kPointsPerEpoch)) record_interval();
}

void MnistSession::on_epoch(const EpochResult& e) {
  epoch_costs_.push_back(e.mean_loss);
  epoch_seconds_.push_back(e.seconds);
  start_eval();
  if (epoch() >= cfg_.max_epochs) running_ = false;
}

void MnistSession::record_interval() {
  const int64_t steps = std::max<int64_t>(1, trainer_->steps_per_epoch());
  const float at = float(epoch()) + float(step_in_epoch()) / float(steps);
  recent_loss_ = float(interval_loss_ / double(interval_steps_));
  recent_accuracy_ = float(double(interval_correct_) / double(std::max<int64_t>(1, interval_images_)));
  train_loss_.add(at, recent_loss_);
  train_accuracy_.add(at, recent_accuracy_);
  interval_steps_ = interval_images_ = interval_correct_ = 0;
  interval_loss_ = 0;
}

void MnistSession::finetune_step() {
  // Every personal digit in each batch, topped up with random training images so that
  // the model learns the new examples without forgetting the rest.
  const int64_t dim = 784;
  const int64_t own = int64_t(personal_.size());
  const int64_t n = std::max<int64_t>(int64_t(cfg_.batch), 2 * own);
  ft_host_.assign(size_t(n * dim), 0.0f);
  ft_labels_.assign(size_t(n), 0);
  for (int64_t i = 0; i < n; ++i) {
    float* dst = ft_host_.data() + i * dim;
    if (i < own) {
      std::copy(personal_[size_t(i)].image.begin(), personal_[size_t(i)].image.end(), dst);
      ft_labels_[size_t(i)] = personal_[size_t(i)].label;
    } else {
      const uint32_t k = finetune_rng_.below(uint32_t(train_.count));
      const uint8_t* src = train_.images.data() + int64_t(k) * dim;
      for (int64_t p = 0; p < dim; ++p) dst[p] = float(src[p]) * (1.0f / 255.0f);
      ft_labels_[size_t(i)] = train_.labels[k];
    }
  }
  x_.resize({n, dim});
  x_.from_host(ft_host_);
  labels_.resize(n);
  labels_.from_host(ft_labels_.data(), n);
  try {
    finetune_loss_ = train_step(*model_, *optimizer_, LossKind::CrossEntropy, Batch{&x_, &labels_, nullptr}, dpred_,
                                epoch(), finetune_done_ + 1);
  } catch (const DivergenceError& e) {
    error_ = e.what();
    finetune_left_ = 0;
    running_ = false;
    ++version_;
    return;
  }
  ++finetune_done_;
  pristine_ = false;
  touch_params();
  if (--finetune_left_ == 0) start_eval();  // how did it change the test accuracy?
  ++version_;
}

void MnistSession::start_eval() {
  if (test_.count == 0) return;
  if (evaluator_) {
    eval_again_ = true;
    return;
  }
  eval_loader_ = std::make_unique<BatchLoader>(*backend_, test_, kEvalChunk, false, false, 0);
  evaluator_ = std::make_unique<Evaluator>(*model_, *eval_loader_, LossKind::CrossEntropy);
  ++version_;
}

void MnistSession::eval_chunk() {
  evaluator_->run_chunk();
  if (!evaluator_->done()) return;
  const EvalResult& r = evaluator_->result();
  auto e = std::make_shared<MnistEval>();
  e->at_epoch = float(epoch()) +
                (trainer_ ? float(step_in_epoch()) / float(std::max<int64_t>(1, trainer_->steps_per_epoch())) : 0.0f);
  e->confusion = r.confusion;
  e->predictions = r.predictions;
  e->count = r.confusion.total();
  e->correct = r.confusion.correct();
  e->accuracy = r.accuracy;
  e->loss = r.loss;
  test_accuracy_.add(e->at_epoch, float(e->accuracy));
  test_loss_.add(e->at_epoch, float(e->loss));
  eval_ = e;
  evaluator_.reset();
  eval_loader_.reset();
  if (eval_again_) {
    eval_again_ = false;
    start_eval();
  }
  ++version_;
}

void MnistSession::proof_chunk() {
  proof_evaluator_->run_chunk();
  if (!proof_evaluator_->done()) return;
  proof_ = compare_proof(origin_metadata_, origin_, proof_of(proof_evaluator_->result(), 10));
  proof_evaluator_.reset();
  proof_loader_.reset();
  ++version_;
}

std::vector<float> MnistSession::params() const { return model_->parameters().data().to_host(); }

MnistSnapshot MnistSession::snapshot() const {
  MnistSnapshot s;
  s.version = version_;
  s.generation = generation_;
  s.config = cfg_;
  s.origin = origin_;
  s.pristine = pristine_;
  s.device = backend_->name();
  s.device_note = device_note_;
  s.data = data_;
  s.train_count = train_.count;
  s.test_count = test_.count;
  s.running = running_;
  s.error = error_;
  s.epoch = epoch();
  s.step = step_in_epoch();
  s.steps_per_epoch = train_loader_ ? train_loader_->batches_per_epoch() : 0;
  s.images_trained = images_trained_;
  s.images_per_second = running_ ? rate_ : 0;
  if (running_ && rate_ > 0) {
    const int64_t left_steps = int64_t(cfg_.max_epochs - s.epoch) * s.steps_per_epoch - s.step;
    s.eta_seconds = double(std::max<int64_t>(0, left_steps) * cfg_.batch) / rate_;
  }
  s.lr = optimizer_->lr();
  s.recent_loss = recent_loss_;
  s.recent_accuracy = recent_accuracy_;
  s.epoch_costs = epoch_costs_;
  s.epoch_seconds = epoch_seconds_;
  s.train_loss = train_loss_;
  s.train_accuracy = train_accuracy_;
  s.test_accuracy = test_accuracy_;
  s.test_loss = test_loss_;
  s.eval = eval_;
  s.evaluating = evaluator_ != nullptr;
  s.proof_pending = proof_evaluator_ != nullptr;
  s.proof = proof_;
  s.finetune_left = finetune_left_;
  s.finetune_done = finetune_done_;
  s.finetune_loss = finetune_loss_;
  const auto now = Clock::now();
  if (params_copied_version_ != params_version_ &&
      (!running_ || std::chrono::duration<double>(now - params_copied_at_).count() >= kParamsPeriod)) {
    params_copy_ = std::make_shared<const std::vector<float>>(params());
    params_copied_version_ = params_version_;
    params_copied_at_ = now;
  }
  s.params = params_copy_;
  s.params_version = params_copied_version_;
  return s;
}

}  // namespace nnplay::ui
