// One training run of a small 2D classifier (the network lab's model, and the gates
// panel's 2-2-1 XOR network): dataset, Sequential, optimizer and loss curves, trained
// in bounded slices of wall-clock time so that no caller ever blocks for long.
// Single-threaded by design; TrainingRunner decides which thread calls it and publishes
// snapshots of it to the panels.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/batches.h"
#include "nnplay/datasets2d.h"
#include "nnplay/error.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"
#include "nnplay/trainer.h"
#include "training/curve.h"
#include "training/network_settings.h"

namespace nnplay::ui {

// What a session trains: everything that needs a rebuild to change.
struct NetworkConfig {
  Toy2DConfig data;
  ModelSpec spec;  // hidden activation is live-changeable; output is always sigmoid
  LossKind loss = LossKind::BCE;
  OptimizerConfig optimizer;
  int batch = 0;  // 0 or ≥ the training set: full batch
  int max_epochs = 10001;
  int speed = 0;  // epochs per second at most; 0: unlimited
};
NetworkConfig network_config(const NetworkSettings& s);

// Loss and accuracy per epoch (each Curve thins itself; all four share their x).
struct Curves {
  static constexpr size_t kMaxPoints = 1024;
  Curve train_loss{kMaxPoints}, test_loss{kMaxPoints}, train_acc{kMaxPoints}, test_acc{kMaxPoints};
  void add(int at_epoch, float trl, float tel, float tra, float tea) {
    train_loss.add(float(at_epoch), trl);
    test_loss.add(float(at_epoch), tel);
    train_acc.add(float(at_epoch), tra);
    test_acc.add(float(at_epoch), tea);
  }
};

// What the panels draw: a copy, safe to read on another thread than the one training.
struct NetworkSnapshot {
  uint64_t version = 0;  // changes whenever anything below does
  uint64_t generation = 0;  // changes when the session is rebuilt (reset, new config)
  int epoch = 0;  // completed epochs
  int max_epochs = 0;
  bool running = false;
  std::string error;  // why training stopped by itself (e.g. the loss diverged), else empty
  float train_loss = 0, test_loss = 0, train_acc = 0, test_acc = 0;  // after the last epoch (or at init)
  float lr = 0;
  Activation activation = Activation::Sigmoid;
  NetworkConfig config;
  Curves curves;
  std::vector<float> params;  // the flat parameter buffer
  std::shared_ptr<const Toy2DSplit> data;
};

class NetworkSession {
 public:
  // Throws Error if the configuration is unusable (the settings parser prevents that).
  explicit NetworkSession(const NetworkConfig& cfg, uint64_t generation = 0);
  ~NetworkSession();

  // Trains whole batches until budget_ms have passed, max_epochs are done or the loss
  // diverges (then running stops and error() says why). Returns epochs completed.
  int train_for(double budget_ms);
  // Finishes the current epoch, or trains one whole epoch; ignores the running flag.
  void step_epoch();

  bool running() const { return running_; }
  // What SessionRunner calls: whether there is training to do now, and doing some.
  bool has_work() const { return running_; }
  void work_for(double budget_ms) { train_for(budget_ms); }
  void set_running(bool on);
  void set_lr(float lr);
  void set_activation(Activation a);
  void set_max_epochs(int n);
  void set_speed(int epochs_per_second);
  // Continues from these weights (the flat buffer of this model's layout, e.g. after the
  // one-step view stepped them): evaluated at once, the epoch count kept. Throws Error
  // when the size does not match.
  void set_parameters(const std::vector<float>& params);
  int epoch() const { return trainer_->completed_epochs(); }
  const std::string& error() const { return error_; }

  NetworkSnapshot snapshot() const;

 private:
  void on_epoch();  // the trainer finished an epoch: evaluate, extend the curves, stop at the limit
  void evaluate();  // fills the latest losses and accuracies, appends to the curves
  void evaluate_split(PointBatches* split, float& loss, float& acc);
  void diverged(const DivergenceError& e);

  NetworkConfig cfg_;
  uint64_t generation_;
  uint64_t version_ = 1;
  std::unique_ptr<Backend> backend_;
  std::shared_ptr<const Toy2DSplit> data_;
  Rng init_rng_;
  std::unique_ptr<Sequential> model_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<PointBatches> train_batches_;       // what the trainer reads
  std::unique_ptr<PointBatches> train_all_, test_all_;  // whole splits, for evaluation (test: null when empty)
  std::unique_ptr<Trainer> trainer_;
  bool running_ = false;
  double credit_ = 0;   // epochs the speed limit allows now (fractional)
  double last_pump_ = -1;  // seconds (steady clock) of the last train_for, for the speed limit
  std::string error_;
  float train_loss_ = 0, test_loss_ = 0, train_acc_ = 0, test_acc_ = 0;
  Curves curves_;
};

}  // namespace nnplay::ui
