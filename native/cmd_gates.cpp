// `nnplay-train gates`: the tutorial's perceptron gates and the perceptron learning rule.
#include <fmt/core.h>

#include <memory>

#include "commands.h"
#include "nnplay/gates.h"

namespace nnplay::cli {

namespace {

struct GatesOptions {
  float lr = 0.1f;
  int max_epochs = 1000;
};

void print_truth_tables() {
  fmt::print("Truth tables of the tutorial's perceptrons (output 1 when w1*x1 + w2*x2 + b > 0)\n\n");
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR}) {
    Perceptron p = tutorial_perceptron(g);
    fmt::print("{} gate: w1 = {:g}, w2 = {:g}, b = {:g}\n", gate_name(g), p.w1, p.w2, p.b);
    fmt::print("  x1 x2 | out target\n");
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2) {
        int out = p(float(x1), float(x2)), t = gate_target(g, x1, x2);
        fmt::print("   {}  {} |  {}    {}{}\n", x1, x2, out, t, out == t ? "" : "   <- wrong");
      }
    fmt::print("\n");
  }
  fmt::print("XOR = AND(NAND(x1, x2), OR(x1, x2)): two layers of perceptrons\n");
  fmt::print("  x1 x2 | NAND OR | out target\n");
  for (int x1 = 0; x1 <= 1; ++x1)
    for (int x2 = 0; x2 <= 1; ++x2) {
      int n = tutorial_perceptron(Gate::NAND)(float(x1), float(x2));
      int o = tutorial_perceptron(Gate::OR)(float(x1), float(x2));
      int out = xor_composed(x1, x2), t = gate_target(Gate::XOR, x1, x2);
      fmt::print("   {}  {} |   {}   {} |  {}    {}{}\n", x1, x2, n, o, out, t, out == t ? "" : "   <- wrong");
    }
  fmt::print("\n");
}

void run_gates(const GatesOptions& o) {
  print_truth_tables();
  fmt::print("The perceptron learning rule (w += lr * (target - out) * x), from zero weights, lr {:g}\n", o.lr);
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR, Gate::XOR}) {
    PerceptronRun run = train_perceptron(g, o.lr, o.max_epochs);
    const Perceptron& w = run.final_weights;
    if (run.converged) {
      fmt::print("  {:<4}: converged after {} epochs: w1 = {:g}, w2 = {:g}, b = {:g}\n", gate_name(g), run.epochs,
                 w.w1, w.w2, w.b);
    } else if (run.cycled) {
      fmt::print(
          "  {:<4}: never converges: after epoch {} the weights are those after epoch {} (w1 = {:g}, w2 = {:g}, "
          "b = {:g}),\n        so the rule repeats a cycle of {} epoch{} forever, never without errors: no line "
          "separates its 1s from its 0s.\n",
          gate_name(g), run.epochs, run.cycle_start, w.w1, w.w2, w.b, run.epochs - run.cycle_start,
          run.epochs - run.cycle_start == 1 ? "" : "s");
    } else {
      fmt::print("  {:<4}: not converged after {} epochs (raise --max-epochs)\n", gate_name(g), run.epochs);
    }
  }
}

}  // namespace

void add_gates_command(CLI::App& app) {
  auto opts = std::make_shared<GatesOptions>();
  CLI::App* sub = app.add_subcommand("gates", "Perceptron logic gates: truth tables and the perceptron rule");
  sub->add_option("--lr", opts->lr, "Learning rate of the perceptron rule")->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--max-epochs", opts->max_epochs, "Give up after this many epochs")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  sub->callback([opts] { run_gates(*opts); });
}

}  // namespace nnplay::cli
