// `nnplay-train xor`: the tutorial's MLP that learns XOR.
#include <fmt/core.h>

#include <memory>

#include "commands.h"
#include "nnplay/atomic_file.h"
#include "nnplay/error.h"
#include "nnplay/layers.h"
#include "nnplay/model_file.h"
#include "nnplay/xor.h"

namespace nnplay::cli {

namespace {

std::string join_sizes(const std::vector<int64_t>& sizes) {
  std::string s;
  for (int64_t v : sizes) s += (s.empty() ? "" : "-") + std::to_string(v);
  return s;
}

// The recipe's defaults (XorConfig), as the options show them.
struct XorOptions {
  std::string hidden = join_sizes(XorConfig{}.hidden);
  std::string activation = activation_name(XorConfig{}.activation);
  std::string loss = loss_name(XorConfig{}.loss);
  std::string optimizer = XorConfig{}.optimizer.name;
  float lr = XorConfig{}.optimizer.lr;
  float momentum = XorConfig{}.optimizer.momentum;
  int epochs = XorConfig{}.epochs;
  uint64_t seed = XorConfig{}.seed;
  int print_every = 100;
  std::string save;  // the trained model as safetensors
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
  if (!o.save.empty()) check_writable(o.save);
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
  if (!o.save.empty()) {
    // The same model train_xor built, holding the trained weights.
    Rng unused(0);
    Sequential model(*backend, xor_model_spec(cfg), unused);
    model.parameters().data().from_host(r.parameters);
    std::string outputs;
    for (float v : r.outputs) outputs += (outputs.empty() ? "" : " ") + fmt::format("{:.8f}", v);
    save_model(o.save, model,
               {{"dataset", "XOR (4 points)"},
                {"epochs", std::to_string(o.epochs)},
                {"seed", std::to_string(o.seed)},
                {"optimizer", fmt::format("{} lr {:g} momentum {:g}", o.optimizer, o.lr, o.momentum)},
                {"loss", o.loss},
                {"xor_outputs", outputs},
                {"xor_accuracy", fmt::format("{}", r.accuracy)}});
    fmt::print("Model saved to {}\n", o.save);
  }
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
  sub->add_option("--save", o->save, "Save the trained model (safetensors)");
  sub->callback([o] { run_xor(*o); });
}

}  // namespace nnplay::cli
