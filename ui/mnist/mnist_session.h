// One training run of an MNIST classifier for the panel: the engine's Trainer (shuffled
// batches, cross-entropy, the recipe's optimizer), advanced in bounded slices of
// wall-clock time, with the work the panel needs in between: test
// evaluations (accuracy, confusion matrix, every prediction) in small chunks, a check of
// a loaded file's recorded proof, and fine-tuning steps on the user's own digits.
// Single-threaded by design; MnistRunner decides which thread calls it and publishes its
// snapshots to the panel.
//
// With the same settings it sees the data in the same order and starts from the same
// weights as `nnplay-train mnist` (same seed streams), so the two give the same model.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "training/curve.h"
#include "mnist/mnist_data.h"
#include "mnist/mnist_settings.h"
#include "nnplay/layers.h"
#include "nnplay/metrics.h"
#include "nnplay/optim.h"
#include "nnplay/proof.h"
#include "nnplay/trainer.h"
#include "nnplay/safetensors.h"

namespace nnplay::ui {

// What a session trains: everything that needs a rebuild to change.
// (mnist_config fills it from the settings, whose defaults are the tutorial's recipe.)
struct MnistConfig {
  ModelSpec spec;  // 784 → ... → 10 (an MLP, or a layer list on 1x28x28), logits out
  OptimizerConfig optimizer;
  int batch = 0;
  int max_epochs = 0;
  uint64_t seed = 0;
  std::string device = "cpu";  // cpu, cuda or auto (make_backend)
  int threads = 1;             // CPU backend threads (results do not depend on it)
  int64_t train_count = 0;     // first images of each split used; 0: all
  int64_t test_count = 0;
};
MnistConfig mnist_config(const MnistSettings& s, int threads);

// Where a session's first weights come from.
struct MnistOrigin {
  std::string label;  // "new model, seed 777", a file's path, "weights of the previous run"
  std::shared_ptr<const std::vector<float>> params;  // null: initialised from the seed
  Metadata metadata;  // a loaded file's, whose recorded proof (if any) is checked
};

// A digit drawn and labelled by the user (784 values in [0, 1]).
struct PersonalSample {
  std::vector<float> image;
  int label = 0;
};

// One complete evaluation of the test images in use.
struct MnistEval {
  float at_epoch = 0;  // epochs trained when it was taken (fractional during fine-tuning)
  int64_t count = 0, correct = 0;
  double loss = 0, accuracy = 0;
  ConfusionMatrix confusion{10};
  std::vector<int32_t> predictions;  // one per test image, in order
};

// What the panel draws: a copy, safe to read on another thread than the one training.
struct MnistSnapshot {
  uint64_t version = 0;     // changes whenever anything below does
  uint64_t generation = 0;  // changes when the session is rebuilt
  MnistConfig config;
  std::string origin;      // where the starting weights came from
  bool pristine = true;    // the weights are still the starting ones
  std::string device;      // the backend in use ("cpu", "cuda")
  std::string device_note; // why "auto" chose it
  std::shared_ptr<const MnistData> data;  // null until loaded
  int64_t train_count = 0, test_count = 0;  // images in use
  bool running = false;
  std::string error;  // why training stopped by itself (the loss diverged)
  int epoch = 0;      // completed epochs
  int64_t step = 0, steps_per_epoch = 0;  // within the current epoch
  int64_t images_trained = 0;  // by this session
  double images_per_second = 0;  // wall clock, while running
  double eta_seconds = -1;       // to the epoch limit; -1: unknown
  float lr = 0;
  float recent_loss = NAN, recent_accuracy = NAN;  // over the last curve interval
  std::vector<double> epoch_costs;  // mean batch loss per epoch (the tutorial's "cost")
  std::vector<double> epoch_seconds;  // time spent training each epoch (its steps alone, no drawing or evaluation)
  Curve train_loss, train_accuracy;  // per interval of steps, x in epochs
  Curve test_accuracy, test_loss;    // per evaluation
  std::shared_ptr<const MnistEval> eval;  // the latest complete evaluation (null before the first)
  bool evaluating = false;
  bool proof_pending = false;             // a recorded proof is being checked
  std::optional<ProofCheck> proof;        // its verdict, once checked
  int finetune_left = 0, finetune_done = 0;
  float finetune_loss = NAN;
  uint64_t params_version = 0;  // changes when `params` does
  std::shared_ptr<const std::vector<float>> params;  // the flat weights (refreshed a few times a second)
};

class MnistSession {
 public:
  // Throws Error when the backend cannot be made or the origin's weights do not fit.
  // data may be null (not loaded yet): the model exists (drawings are classified) but
  // cannot train or be evaluated.
  MnistSession(const MnistConfig& cfg, std::shared_ptr<const MnistData> data, const MnistOrigin& origin,
               uint64_t generation);
  ~MnistSession();

  // Does pending work (proof check, evaluation, fine-tuning, then training if running)
  // until budget_ms have passed. Returns whether anything was done.
  bool work_for(double budget_ms);
  bool has_work() const;

  bool running() const { return running_; }
  void set_running(bool on);
  void set_lr(float lr);
  void set_max_epochs(int n);
  // Queues `steps` steps on batches mixing all of `samples` with training images.
  void finetune(std::vector<PersonalSample> samples, int steps);

  std::vector<float> params() const;  // the exact current weights
  MnistSnapshot snapshot() const;

 private:
  using Clock = std::chrono::steady_clock;
  void train_slice(double budget_ms);
  void on_step(const StepInfo& s);
  void on_epoch(const EpochResult& e);
  void finetune_step();
  void eval_chunk();
  void proof_chunk();
  void start_eval();
  void record_interval();
  void touch_params() { ++params_version_; }
  int epoch() const { return trainer_ ? trainer_->completed_epochs() : 0; }
  int64_t step_in_epoch() const { return trainer_ ? trainer_->step_in_epoch() : 0; }

  MnistConfig cfg_;
  uint64_t generation_;
  uint64_t version_ = 1;
  std::string origin_;
  Metadata origin_metadata_;
  bool pristine_ = true;
  std::shared_ptr<const MnistData> data_;
  Dataset train_, test_;  // the subsets in use (copies of the first images)
  std::unique_ptr<Backend> backend_;
  std::string device_note_;
  std::unique_ptr<Sequential> model_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<BatchLoader> train_loader_;
  std::unique_ptr<Trainer> trainer_;  // null without data (or with a batch larger than it)
  Tensor x_, dpred_;  // fine-tuning's batch
  Labels labels_;
  Rng finetune_rng_;

  bool running_ = false;
  std::string error_;
  int64_t images_trained_ = 0;
  std::vector<double> epoch_costs_;
  std::vector<double> epoch_seconds_;
  // The current curve interval.
  int64_t interval_steps_ = 0, interval_images_ = 0, interval_correct_ = 0;
  double interval_loss_ = 0;
  float recent_loss_ = NAN, recent_accuracy_ = NAN;
  Curve train_loss_, train_accuracy_, test_accuracy_, test_loss_;
  // Throughput, measured on the wall clock while running.
  Clock::time_point rate_since_{};
  int64_t rate_images_ = 0;
  double rate_ = 0;

  // Evaluation in progress (evaluator_ non-null while it runs), a chunk at a time.
  std::unique_ptr<BatchLoader> eval_loader_;
  std::unique_ptr<Evaluator> evaluator_;
  std::shared_ptr<const MnistEval> eval_;
  bool eval_again_ = false;  // asked for while one was running

  // The check of a loaded file's recorded proof (proof_evaluator_ non-null while it runs).
  std::unique_ptr<BatchLoader> proof_loader_;
  std::unique_ptr<Evaluator> proof_evaluator_;
  std::optional<ProofCheck> proof_;

  std::vector<PersonalSample> personal_;
  int finetune_left_ = 0, finetune_done_ = 0;
  float finetune_loss_ = NAN;
  std::vector<float> ft_host_;
  std::vector<int32_t> ft_labels_;

  uint64_t params_version_ = 1;
  // The snapshot's copy of the weights, refreshed at most every kParamsPeriod while
  // training (copying a large MLP's weights every slice would cost more than it shows).
  mutable uint64_t params_copied_version_ = 0;
  mutable Clock::time_point params_copied_at_{};
  mutable std::shared_ptr<const std::vector<float>> params_copy_;
};

}  // namespace nnplay::ui
