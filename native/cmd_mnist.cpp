// `nnplay-train mnist`: the tutorial's MNIST softmax regression (and an MLP, a CNN or a
// learner's own layer list), with the tutorial's log lines, test accuracy and one random
// test digit drawn in the terminal.
#include <fmt/core.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "commands.h"
#include "nnplay/atomic_file.h"
#include "nnplay/checkpoint.h"
#include "nnplay/dataset.h"
#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/model_file.h"
#include "nnplay/proof.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"
#include "progress.h"
#include "text_art.h"

namespace nnplay::cli {

namespace {

struct MnistOptions {
  std::string data = "data/mnist";
  std::optional<std::string> model;   // linear (the default), mlp or cnn
  std::optional<std::string> layers;  // a layer list (layer_list.h)
  std::optional<std::string> hidden;
  std::optional<std::string> activation;
  std::optional<int> epochs;
  std::optional<int64_t> batch;
  std::optional<float> lr;
  std::optional<std::string> optimizer;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
  std::optional<uint64_t> seed;
  int threads = 1;
  std::string device = "auto";
  int64_t train_limit = 0;
  std::string progress = "auto";
  bool show_sample = true;
  std::string save;        // the trained model, with its proof
  int save_every = 0;      // checkpoint every N epochs (0: never)
  std::string checkpoint;  // where checkpoints go (default: next to --save)
  std::string resume;      // a checkpoint to continue from
};

// "out/model.safetensors" -> "out/model.ckpt.safetensors".
std::string checkpoint_path(const MnistOptions& o) {
  if (!o.checkpoint.empty()) return o.checkpoint;
  if (o.save.empty()) throw Error("--save-every needs --checkpoint FILE (or --save FILE, next to which it goes)");
  const std::string ext = ".safetensors";
  if (o.save.size() > ext.size() && o.save.compare(o.save.size() - ext.size(), ext.size(), ext) == 0)
    return o.save.substr(0, o.save.size() - ext.size()) + ".ckpt" + ext;
  return o.save + ".ckpt" + ext;
}

// The recipe of --model (recipes.h), with the options given on top of it.
Recipe resolve(const MnistOptions& o, const Dataset& train) {
  const int64_t input_dim = train.dim();
  const std::string model = o.model.value_or(o.layers ? "layers" : "linear");
  if (o.layers && model != "cnn" && model != "layers")
    throw Error("--layers describes a network of its own: use it alone or with --model cnn, not --model " + model);
  if ((model == "cnn" || model == "layers") && (o.hidden || o.activation))
    throw Error("--hidden and --activation shape an MLP; a layer list names its own sizes and activation "
                "(e.g. --layers tanh,conv5x5x16,pool2,fc10)");
  Recipe r;
  if (model == "linear") {
    r = mnist_linear_recipe(input_dim);
  } else if (model == "mlp") {
    r = mnist_mlp_recipe(input_dim);
    if (o.hidden) r.spec.sizes = ModelSpec::parse_sizes(std::to_string(input_dim) + "-" + *o.hidden + "-10");
    r.spec.hidden = parse_activation(o.activation.value_or("relu"));
    if (r.spec.hidden == Activation::Step || r.spec.hidden == Activation::None)
      throw Error("--activation must be sigmoid, tanh or relu for an MLP");
  } else if (model == "cnn") {
    r = mnist_cnn_recipe(train.rows, train.cols);
    if (o.layers) r.spec = ModelSpec::from_layers(*o.layers, {1, train.rows, train.cols});
  } else if (model == "layers") {
    r = mnist_layers_recipe(*o.layers, train.rows, train.cols);
  } else {
    throw Error("--model must be linear, mlp or cnn, got '" + model + "'");
  }
  if (o.optimizer) r.optimizer.name = *o.optimizer;
  if (o.lr) r.optimizer.lr = *o.lr;
  r.optimizer.momentum = o.momentum;
  r.optimizer.weight_decay = o.weight_decay;
  if (o.epochs) r.epochs = *o.epochs;
  if (o.batch) r.batch = *o.batch;
  if (o.seed) r.seed = *o.seed;
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

  const Recipe recipe = resolve(o, train);
  if (recipe.batch <= 0) throw Error("--batch must be positive");
  if (recipe.epochs < 0) throw Error("--epochs must be >= 0");
  std::string device_note;
  auto backend = make_backend(o.device, o.threads, &device_note);
  if (!device_note.empty()) fmt::print("Device: {}\n", device_note);
  ClassifierRun run(*backend, recipe, train);
  Sequential& model = run.model();
  Optimizer& optimizer = run.optimizer();
  Trainer& trainer = run.trainer();
  const RunSettings settings{recipe.optimizer, recipe.batch, recipe.seed, train.count, o.data};
  const std::string ckpt = o.save_every > 0 ? checkpoint_path(o) : "";
  for (const std::string& out : {o.save, ckpt})
    if (!out.empty()) check_writable(out);
  if (!o.resume.empty())
    trainer.set_completed_epochs(restore_checkpoint(o.resume, model, optimizer, run.loader(), settings));
  const int first_epoch = trainer.completed_epochs() + 1;

  fmt::print("Training on {} ({} thread{}): {} ({} parameters), cross_entropy, {}, batch {}, {} epochs, seed {}\n",
             backend->name(), o.threads, o.threads == 1 ? "" : "s", recipe.spec.describe(),
             model.parameters().total(), optimizer.describe(), recipe.batch, recipe.epochs, recipe.seed);
  fmt::print("Data: {} training and {} test images of {}x{} from {}\n", train.count, test.count, train.rows,
             train.cols, o.data);
  if (recipe.spec.is_layer_list()) {
    const ModelCost cost = model_cost(recipe.spec);
    fmt::print("Model: {}\n  {} parameters, {:.2f} MFLOPs per image (forward)\n", pytorch_modules(recipe.spec),
               cost.parameters, double(cost.flops) / 1e6);
    if (recipe.lr_every > 0)
      fmt::print("Learning rate: {} times {} every {} epoch{}\n", recipe.optimizer.lr, recipe.lr_gamma,
                 recipe.lr_every, recipe.lr_every == 1 ? "" : "s");
  }
  if (!o.resume.empty())
    fmt::print("Resumed from {} after epoch {}\n", o.resume, first_epoch - 1);
  std::fflush(stdout);
  // Only a bar that is drawn asks for step losses: without one, a GPU reads them back
  // once per epoch instead of about 50 times.
  if (bar.enabled()) trainer.set_events({[&](const StepInfo& s) { bar.update(s.step, s.loss); }, {}});
  auto t0 = std::chrono::steady_clock::now();
  for (int epoch = first_epoch; epoch <= recipe.epochs; ++epoch) {
    bar.start(fmt::format("epoch {}/{}", epoch, recipe.epochs), trainer.steps_per_epoch(), "batches");
    EpochResult r = trainer.run_epoch();
    bar.clear();
    fmt::print("Epoch: {:04d} cost = {:.9f}\n", epoch, r.mean_loss);
    if (o.save_every > 0 && epoch % o.save_every == 0) {
      save_checkpoint(ckpt, model, optimizer, run.loader(), epoch, settings,
                      {{"epochs", std::to_string(epoch)}, {"optimizer", optimizer.describe()}});
      fmt::print("Checkpoint after epoch {} saved to {}\n", epoch, ckpt);
    }
    std::fflush(stdout);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("Learning finished in {:.2f} s\n", secs);

  EvalResult ev = trainer.evaluate(test);
  fmt::print("Accuracy: {:.4f}\n", ev.accuracy);
  if (!o.save.empty()) {
    Proof proof = compute_proof(model, test);
    save_model(o.save, model,
               {{"dataset", o.data + " (" + std::to_string(train.count) + " training images)"},
                {"epochs", std::to_string(recipe.epochs)},
                {"seed", std::to_string(recipe.seed)},
                {"optimizer", optimizer.describe()},
                {"batch", std::to_string(recipe.batch)},
                {"loss", "cross_entropy"},
                {"test_accuracy", fmt::format("{:.4f}", proof.accuracy())},
                {kProofKey, proof_to_json(proof)}});
    fmt::print("Model saved to {} (test accuracy {}/{} and the first {} logits recorded)\n", o.save,
               proof.correct, proof.count, kProofImages);
  }

  if (o.show_sample && test.count > 0) {
    Rng pick(recipe.seed);
    int64_t r = int64_t(pick.below(uint32_t(test.count)));
    fmt::print("Test sample #{}\nLabel:  {}\nPrediction:  {}\n", r, int(test.labels[size_t(r)]),
               ev.predictions[size_t(r)]);
    fmt::print("{}", text_art(test.images.data() + r * test.dim(), test.rows, test.cols));
  }
}

}  // namespace

void add_mnist_command(CLI::App& app) {
  auto o = std::make_shared<MnistOptions>();
  CLI::App* sub = app.add_subcommand("mnist", "Softmax regression (or an MLP, a CNN) on MNIST-like IDX data");
  sub->add_option("--data", o->data, "Folder with the four IDX files, raw or .gz")->capture_default_str();
  sub->add_option("--model", o->model, "linear (784-10, the default), mlp or cnn");
  sub->add_option("--layers", o->layers,
                  "Your own network as a layer list, e.g. conv5x5x16,pool2,conv3x3x32,pool2,fc128,fc10 "
                  "(tokens: convKxKxC[/sS][pP], poolK[/sS], fcN, dropoutP, flatten, relu, tanh, sigmoid)");
  sub->add_option("--hidden", o->hidden, "MLP hidden sizes (256-256)");
  sub->add_option("--activation", o->activation, "MLP hidden activation: relu (default), sigmoid, tanh");
  sub->add_option("--epochs", o->epochs, "Epochs (linear: 15, mlp: 10, cnn: 2)")->check(CLI::Range(0, 100000));
  sub->add_option("--batch", o->batch, "Batch size (linear: 100, mlp: 128, cnn: 32)")->check(CLI::Range(1, 1000000));
  sub->add_option("--lr", o->lr, "Learning rate (linear: 0.1, mlp and cnn: 0.001)");
  sub->add_option("--optimizer", o->optimizer, "sgd or adam (linear: sgd, mlp and cnn: adam)");
  sub->add_option("--momentum", o->momentum, "SGD momentum")->capture_default_str();
  sub->add_option("--weight-decay", o->weight_decay, "L2 weight decay")->capture_default_str();
  sub->add_option("--seed", o->seed, "Random seed: initialisation, shuffling, sample (777)");
  sub->add_option("--device", o->device, "auto (the GPU when usable), cpu or cuda")->capture_default_str();
  sub->add_option("--threads", o->threads, "CPU threads")->check(CLI::Range(1, 256))->capture_default_str();
  sub->add_option("--train-limit", o->train_limit, "Use only the first N training images (0: all)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--progress", o->progress, "Progress bar: auto (on a terminal), always, never")
      ->capture_default_str();
  sub->add_flag("!--no-sample", o->show_sample, "Do not draw a random test sample");
  sub->add_option("--save", o->save, "Save the trained model (safetensors, with its test accuracy and logits)");
  sub->add_option("--save-every", o->save_every, "Write a checkpoint every N epochs (see --checkpoint)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--checkpoint", o->checkpoint, "Checkpoint file (default: --save's name with .ckpt)");
  sub->add_option("--resume", o->resume, "Continue from a checkpoint (same settings; --epochs is the total)");
  sub->callback([o] { run_mnist(*o); });
}

}  // namespace nnplay::cli
