// `nnplay-train xor`: the tutorial's MLP that learns XOR.
#include <fmt/core.h>

#include <memory>

#include "commands.h"
#include "nnplay/error.h"
#include "nnplay/layers.h"
#include "nnplay/xor.h"

namespace nnplay::cli {

namespace {

struct XorOptions {
  std::string hidden = "10-10-10";
  std::string activation = "sigmoid";
  std::string loss = "bce";
  std::string optimizer = "sgd";
  float lr = 1.0f;
  float momentum = 0.0f;
  int epochs = 10001;
  uint64_t seed = 777;
  int print_every = 100;
};

void run_xor(const XorOptions& o) {
  XorConfig cfg;
  // "2-<hidden>-1" parsed as a whole so that the error message shows the user's text.
  std::vector<int64_t> sizes = ModelSpec::parse_sizes("2-" + o.hidden + "-1");
  cfg.hidden.assign(sizes.begin() + 1, sizes.end() - 1);
  cfg.activation = parse_activation(o.activation);
  if (cfg.activation == Activation::Step)
    throw Error("--activation step has no gradient: an MLP cannot learn through it (use sigmoid, tanh or relu)");
  cfg.loss = parse_loss(o.loss);
  cfg.optimizer = {o.optimizer, o.lr, o.momentum, 0.0f};
  cfg.epochs = o.epochs;
  cfg.seed = o.seed;
  auto backend = make_cpu_backend(1);
  fmt::print("XOR MLP 2-{}-1, {} hidden, sigmoid output, {} loss, {} lr {:g}, {} epochs, seed {}\n", o.hidden,
             o.activation, o.loss, o.optimizer, o.lr, o.epochs, o.seed);
  XorResult r = train_xor(*backend, cfg, [&](int epoch, float loss) {
    if (o.print_every > 0 && epoch % o.print_every == 0) fmt::print("{} {:.9f}\n", epoch, loss);
  });
  fmt::print("\nModel outputs (hypothesis): ");
  for (float v : r.outputs) fmt::print(" {:.8f}", v);
  fmt::print("\nPredictions (output > 0.5): ");
  for (int v : r.predictions) fmt::print(" {}", v);
  fmt::print("\nTargets:                    ");
  for (int v : r.targets) fmt::print(" {}", v);
  fmt::print("\nAccuracy: {}\n", r.accuracy);
}

}  // namespace

void add_xor_command(CLI::App& app) {
  auto o = std::make_shared<XorOptions>();
  CLI::App* sub = app.add_subcommand("xor", "The XOR MLP (default 2-10-10-10-1, sigmoid, BCE, SGD lr 1)");
  sub->add_option("--hidden", o->hidden, "Hidden layer sizes, e.g. 10-10-10 or 2")->capture_default_str();
  sub->add_option("--activation", o->activation, "Hidden activation: sigmoid, tanh, relu")->capture_default_str();
  sub->add_option("--loss", o->loss, "Loss: bce or mse")->capture_default_str();
  sub->add_option("--optimizer", o->optimizer, "sgd or adam")->capture_default_str();
  sub->add_option("--lr", o->lr, "Learning rate")->capture_default_str();
  sub->add_option("--momentum", o->momentum, "SGD momentum")->capture_default_str();
  sub->add_option("--epochs", o->epochs, "Full-batch training steps")->check(CLI::Range(0, 100000000))
      ->capture_default_str();
  sub->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  sub->add_option("--print-every", o->print_every, "Print the cost every N epochs (0: never)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  sub->callback([o] { run_xor(*o); });
}

}  // namespace nnplay::cli
