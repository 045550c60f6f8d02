// `nnplay-train mnist`: the tutorial's MNIST softmax regression (and an MLP), with the
// tutorial's log lines, test accuracy and one random test digit drawn in the terminal.
#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <optional>

#include "commands.h"
#include "nnplay/dataset.h"
#include "nnplay/error.h"
#include "nnplay/trainer.h"
#include "progress.h"
#include "text_art.h"

namespace nnplay::cli {

namespace {

struct MnistOptions {
  std::string data = "data/mnist";
  std::string model = "linear";
  std::string hidden = "256-256";
  std::string activation = "relu";
  std::optional<int> epochs;
  std::optional<int64_t> batch;
  std::optional<float> lr;
  std::optional<std::string> optimizer;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
  uint64_t seed = 777;
  int threads = 1;
  int64_t train_limit = 0;
  std::string progress = "auto";
  bool show_sample = true;
};

struct MnistRun {
  ModelSpec spec;
  OptimizerConfig opt;
  int epochs;
  int64_t batch;
};

// The tutorial's settings for the linear model; the usual ones for the MLP.
MnistRun resolve(const MnistOptions& o, int64_t input_dim) {
  MnistRun r;
  if (o.model == "linear") {
    r.spec.sizes = {input_dim, 10};
    r.opt = {o.optimizer.value_or("sgd"), o.lr.value_or(0.1f), o.momentum, o.weight_decay};
    r.epochs = o.epochs.value_or(15);
    r.batch = o.batch.value_or(100);
  } else if (o.model == "mlp") {
    std::vector<int64_t> sizes = ModelSpec::parse_sizes(std::to_string(input_dim) + "-" + o.hidden + "-10");
    r.spec.sizes = sizes;
    r.spec.hidden = parse_activation(o.activation);
    if (r.spec.hidden == Activation::Step || r.spec.hidden == Activation::None)
      throw Error("--activation must be sigmoid, tanh or relu for an MLP");
    r.opt = {o.optimizer.value_or("adam"), o.lr.value_or(1e-3f), o.momentum, o.weight_decay};
    r.epochs = o.epochs.value_or(10);
    r.batch = o.batch.value_or(128);
  } else {
    throw Error("--model must be linear or mlp, got '" + o.model + "'");
  }
  return r;
}

void run_mnist(const MnistOptions& o) {
  ProgressBar bar(parse_progress_mode(o.progress));
  Dataset train = load_idx_dataset(o.data, Split::Train);
  Dataset test = load_idx_dataset(o.data, Split::Test);
  if (train.dim() != test.dim())
    throw Error(o.data + ": training images are " + std::to_string(train.rows) + "x" + std::to_string(train.cols) +
                " but test images are " + std::to_string(test.rows) + "x" + std::to_string(test.cols));
  if (o.train_limit > 0) train = train.head(o.train_limit);

  MnistRun run = resolve(o, train.dim());
  if (run.batch <= 0) throw Error("--batch must be positive");
  if (run.epochs < 0) throw Error("--epochs must be >= 0");
  auto backend = make_cpu_backend(o.threads);
  Rng init_rng(o.seed);
  Sequential model(*backend, run.spec, init_rng);
  auto optimizer = make_optimizer(model.parameters(), run.opt);
  Trainer trainer(model, *optimizer, LossKind::CrossEntropy);
  // The loader's shuffle stream is separate from the initialisation stream, so changing
  // the model does not change the order in which it sees the data.
  BatchLoader loader(*backend, train, run.batch, /*shuffle=*/true, /*drop_last=*/true, o.seed ^ 0x5eed5eedULL);

  fmt::print("Training on {} ({} thread{}): {} ({} parameters), cross_entropy, {}, batch {}, {} epochs, seed {}\n",
             backend->name(), o.threads, o.threads == 1 ? "" : "s", run.spec.describe(), model.parameters().total(),
             optimizer->describe(), run.batch, run.epochs, o.seed);
  fmt::print("Data: {} training and {} test images of {}x{} from {}\n", train.count, test.count, train.rows,
             train.cols, o.data);
  std::fflush(stdout);
  auto t0 = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= run.epochs; ++epoch) {
    bar.start(fmt::format("epoch {}/{}", epoch, run.epochs), loader.batches_per_epoch(), "batches");
    EpochResult r = trainer.train_epoch(loader, epoch, [&](const StepInfo& s) { bar.update(s.step, s.loss); });
    bar.clear();
    fmt::print("Epoch: {:04d} cost = {:.9f}\n", epoch, r.mean_loss);
    std::fflush(stdout);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("Learning finished in {:.2f} s\n", secs);

  EvalResult ev = trainer.evaluate(test);
  fmt::print("Accuracy: {:.4f}\n", ev.accuracy);

  if (o.show_sample && test.count > 0) {
    Rng pick(o.seed);
    int64_t r = int64_t(pick.below(uint32_t(test.count)));
    fmt::print("Test sample #{}\nLabel:  {}\nPrediction:  {}\n", r, int(test.labels[size_t(r)]),
               ev.predictions[size_t(r)]);
    fmt::print("{}", text_art(test.images.data() + r * test.dim(), test.rows, test.cols));
  }
}

}  // namespace

void add_mnist_command(CLI::App& app) {
  auto o = std::make_shared<MnistOptions>();
  CLI::App* sub = app.add_subcommand("mnist", "Softmax regression (or an MLP) on MNIST-like IDX data");
  sub->add_option("--data", o->data, "Folder with the four IDX files, raw or .gz")->capture_default_str();
  sub->add_option("--model", o->model, "linear (784-10) or mlp")->capture_default_str();
  sub->add_option("--hidden", o->hidden, "MLP hidden sizes")->capture_default_str();
  sub->add_option("--activation", o->activation, "MLP hidden activation: relu, sigmoid, tanh")
      ->capture_default_str();
  sub->add_option("--epochs", o->epochs, "Epochs (linear: 15, mlp: 10)")->check(CLI::Range(0, 100000));
  sub->add_option("--batch", o->batch, "Batch size (linear: 100, mlp: 128)")->check(CLI::Range(1, 1000000));
  sub->add_option("--lr", o->lr, "Learning rate (linear: 0.1, mlp: 0.001)");
  sub->add_option("--optimizer", o->optimizer, "sgd or adam (linear: sgd, mlp: adam)");
  sub->add_option("--momentum", o->momentum, "SGD momentum")->capture_default_str();
  sub->add_option("--weight-decay", o->weight_decay, "L2 weight decay")->capture_default_str();
  sub->add_option("--seed", o->seed, "Random seed (initialisation, shuffling, sample)")->capture_default_str();
  sub->add_option("--threads", o->threads, "CPU threads")->check(CLI::Range(1, 256))->capture_default_str();
  sub->add_option("--train-limit", o->train_limit, "Use only the first N training images (0: all)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--progress", o->progress, "Progress bar: auto (on a terminal), always, never")
      ->capture_default_str();
  sub->add_flag("!--no-sample", o->show_sample, "Do not draw a random test sample");
  sub->callback([o] { run_mnist(*o); });
}

}  // namespace nnplay::cli
