// `nnplay-train softmax`: one-hot encoding and the five equivalent softmax costs.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "commands.h"
#include "nnplay/rng.h"
#include "nnplay/softmax.h"

namespace nnplay::cli {

namespace {

struct SoftmaxOptions {
  uint64_t seed = 1;
  int samples = 3;
  int classes = 5;
  float scale = 1.0f;
};

void print_matrix(const char* title, const std::vector<float>& m, int n, int c, const char* f) {
  fmt::print("{}\n", title);
  for (int i = 0; i < n; ++i) {
    fmt::print("  [");
    for (int j = 0; j < c; ++j) fmt::print(fmt::runtime(f), m[size_t(i) * c + j]);
    fmt::print(" ]\n");
  }
}

// Non-finite values print as NaN / inf (never the platform's "-nan").
std::string format_value(double v, const char* f) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format(fmt::runtime(f), v);
}

void run_softmax(const SoftmaxOptions& o) {
  const int n = o.samples, c = o.classes;
  Rng rng(o.seed);
  std::vector<float> z(size_t(n) * c);
  for (float& v : z) v = rng.uniform() * o.scale;  // like torch.rand(n, c), times --scale
  std::vector<int32_t> y(static_cast<size_t>(n));
  for (int32_t& v : y) v = int32_t(rng.below(uint32_t(c)));

  fmt::print("Softmax regression cost, {} samples x {} classes, seed {}{}\n\n", n, c, o.seed,
             o.scale != 1.0f ? fmt::format(", logits scaled by {:g}", o.scale) : "");
  print_matrix("Logits z:", z, n, c, " {:9.4f}");
  fmt::print("Labels y: [");
  for (int32_t v : y) fmt::print(" {}", v);
  fmt::print(" ]\n");
  print_matrix("One-hot(y):", one_hot(y, c), n, c, " {:2.0f}");
  std::vector<float> p(z.size());
  softmax_forward(z.data(), p.data(), n, c);
  print_matrix("softmax(z) (each row sums to 1):", p, n, c, " {:9.6f}");

  fmt::print("\nThe same cost written five ways:\n");
  CostResult ref = softmax_cost(CostForm::CrossEntropy, z, y, n, c);
  for (int f = 0; f < kCostForms; ++f) {
    CostResult r = softmax_cost(CostForm(f), z, y, n, c);
    // A NaN anywhere in the gradient must show as NaN, not vanish in a max().
    double max_dg = 0.0;
    for (size_t k = 0; k < r.dz.size(); ++k) {
      double d = std::fabs(double(r.dz[k]) - double(ref.dz[k]));
      max_dg = std::isnan(d) ? d : std::max(max_dg, d);
      if (std::isnan(d)) break;
    }
    fmt::print("  {}. {:<62} = {:>14}   max |grad - cross_entropy grad| = {}\n", f + 1,
               cost_form_name(CostForm(f)), format_value(r.value, "{:.9f}"), format_value(max_dg, "{:.1e}"));
  }
  fmt::print("\n(With a large --scale, e.g. 200, the naive softmax-then-log forms overflow to inf/NaN\n"
             " while log_softmax, nll_loss and cross_entropy stay finite.)\n");
}

}  // namespace

void add_softmax_command(CLI::App& app) {
  auto o = std::make_shared<SoftmaxOptions>();
  CLI::App* sub = app.add_subcommand("softmax", "One-hot encoding and the five equivalent softmax costs");
  sub->add_option("--seed", o->seed, "Random seed for the logits and labels")->capture_default_str();
  sub->add_option("--samples", o->samples, "Rows of the logits matrix")->check(CLI::Range(1, 1000))
      ->capture_default_str();
  sub->add_option("--classes", o->classes, "Columns (classes)")->check(CLI::Range(2, 1000))->capture_default_str();
  sub->add_option("--scale", o->scale, "Multiply the logits (large values show where log(softmax) breaks)")
      ->capture_default_str();
  sub->callback([o] { run_softmax(*o); });
}

}  // namespace nnplay::cli
