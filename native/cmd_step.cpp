// `nnplay-train step`: one training step, every number, stage by stage, with the chain
// rule for one weight, and PyTorch's recorded values beside nnplay's when a recording of
// this very step exists (assets/step/, written by scripts/record-pytorch-step.sh).
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "nnplay/step_cases.h"
#include "nnplay/step_record.h"

namespace nnplay::cli {

namespace {

struct StepOptions {
  std::string model = "xor";
  std::string data = "data/mnist";
  std::string weight;  // "LAYER,ROW,COL"
  std::optional<float> lr;
  std::optional<uint64_t> seed;
  std::string recorded;    // a recording to compare with (default: assets/step/pytorch-step-<model>)
  std::string write_case;  // write the case file for tests/torch_step.py and stop
};

constexpr size_t kShownValues = 6;  // entries shown of a tensor too big to print whole
constexpr size_t kWholeTensor = 12;  // tensors up to this size are printed whole

std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0.0) return "0";  // never "-0": a zero input makes a signed zero product
  return fmt::format("{:.6g}", v);
}

std::string shape_of(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// Whole, row by row, when small; else the first entries and the norms.
std::string values_text(const std::vector<float>& v, const Shape& shape) {
  if (v.size() <= kWholeTensor) {
    const size_t cols = shape.size() >= 2 ? size_t(shape.back()) : v.size();
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (cols && i % cols == 0) out += i ? "] [" : "[";
      else out += ", ";
      out += num(v[i]);
    }
    return v.empty() ? "[]" : out + "]";
  }
  double l2 = 0.0, l1max = 0.0;
  for (float x : v) {
    l2 += double(x) * x;
    l1max = std::max(l1max, double(std::fabs(x)));
  }
  std::string first;
  for (size_t i = 0; i < kShownValues; ++i) first += (i ? ", " : "") + num(v[i]);
  return fmt::format("‖·‖₂ {}  max |·| {}  first: {}, ...", num(std::sqrt(l2)), num(l1max), first);
}

std::string default_recording(const std::string& model) {
  const std::string name = "assets/step/pytorch-step-" + model + ".safetensors";
  if (std::filesystem::exists(name)) return name;
  const std::string in_source = std::string(NNPLAY_SOURCE_DIR) + "/" + name;
  return std::filesystem::exists(in_source) ? in_source : "";
}

WeightRef parse_weight(const std::string& s) {
  WeightRef w;
  long long layer = 0, row = 0, col = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%lld,%lld,%lld%c", &layer, &row, &col, &tail) != 3)
    throw Error("--weight '" + s + "': expected LAYER,ROW,COL (e.g. 0,3,1: W[3][1] of module 0)");
  w.module = int(layer);
  w.row = row;
  w.col = col;
  return w;
}

void print_chain_rule(const ChainRule& r, int64_t batch) {
  fmt::print("\nThe chain rule for W[{}][{}] of module {} ({}), over the {} samples of the batch:\n", r.row, r.col,
             r.module, r.weight_name, batch);
  fmt::print("  dL/dW[{0}][{1}] = Σₙ dL/dz[n][{0}] · x[n][{1}]\n", r.row, r.col);
  if (!r.upstream_formula.empty()) fmt::print("  where {}  (r = {})\n", r.upstream_formula, r.row);
  const bool split = !r.upstream_formula.empty();
  fmt::print("  {:>5}  {}{:>13}  {:>13}  {:>13}\n", "n",
             split ? fmt::format("{:>13}  {:>13}  ", r.outer_label, r.local_label) : "", "dL/dz[n][r]",
             "x[n][c]", "product");
  const size_t shown = std::min<size_t>(r.terms.size(), 8);
  double rest = 0.0;
  for (size_t i = 0; i < r.terms.size(); ++i) {
    const ChainTerm& t = r.terms[i];
    if (i >= shown) {
      rest += t.product;
      continue;
    }
    fmt::print("  {:>5}  {}{:>13}  {:>13}  {:>13}\n", t.sample,
               split ? fmt::format("{:>13}  {:>13}  ", num(t.outer), num(t.local)) : "", num(t.upstream),
               num(t.input), num(t.product));
  }
  if (r.terms.size() > shown)
    fmt::print("  ... and {} more terms, summing to {}\n", r.terms.size() - shown, num(rest));
  fmt::print("  sum of the terms = {}   the engine's dL/dW[{}][{}] = {}   (|difference| {})\n", num(r.sum), r.row,
             r.col, num(r.gradient), num(std::fabs(r.sum - double(r.gradient))));
  fmt::print("  lr · dL/dW = {} × {} = {}\n", num(r.lr), num(r.gradient), num(r.lr_gradient));
  fmt::print("  W' = W − lr·dL/dW = {} − {} = {}\n", num(r.weight), num(r.lr_gradient), num(r.new_weight));
}

void run_step(const StepOptions& o) {
  auto backend = make_cpu_backend(1);  // the numerical reference
  Dataset train;
  std::unique_ptr<StepCase> c;
  if (o.model == "xor") {
    XorConfig cfg;
    if (o.lr) cfg.optimizer.lr = *o.lr;
    if (o.seed) cfg.seed = *o.seed;
    c = StepCase::make_xor(*backend, cfg);
  } else {
    Recipe r = step_mnist_recipe(o.model);
    if (o.lr) r.optimizer.lr = *o.lr;
    if (o.seed) r.seed = *o.seed;
    train = load_idx_dataset(o.data, Split::Train);
    c = StepCase::make_mnist(*backend, r, train);
  }
  if (!o.write_case.empty()) {
    write_step_case(o.write_case, c->model(), c->loss(), c->optimizer().lr, c->batch());
    fmt::print("Wrote the step case ({}) to {}\n", o.model, o.write_case);
    return;
  }

  const StepTrace t = c->run();
  fmt::print("One training step, every number: {}\n", o.model);
  fmt::print("Model {}, loss {}, SGD lr {}, batch {}, seed {}\n", t.model, loss_name(t.loss), num(t.lr), t.batch_size,
             c->seed());

  const std::string rec_path = o.recorded.empty() ? default_recording(o.model) : o.recorded;
  std::optional<StFile> rec;
  std::optional<StepComparison> cmp;
  if (!rec_path.empty()) {
    rec = read_safetensors(rec_path);
    cmp = compare_with_recorded(t, *rec);
  }
  if (cmp && cmp->same_case) {
    fmt::print("PyTorch {} recorded this step ({}): largest relative difference {} over {} quantities\n",
               cmp->torch_version, rec_path, num(cmp->max_rel), cmp->quantities.size());
  } else {
    fmt::print("No PyTorch values are recorded for this case ({}): nnplay's numbers only.\n",
               cmp ? cmp->why_not : "no recording of the " + o.model + " step found");
    cmp.reset();
  }

  int number = 0;
  for (const TraceStage& s : t.stages) {
    fmt::print("\n[{}] {}    {}\n", ++number, s.title, s.formula);
    for (const TraceTensor& x : s.tensors) {
      fmt::print("    {:<9} {:<11} {}\n", x.label, shape_of(x.shape), values_text(x.values, x.shape));
      const QuantityDiff* q = cmp ? cmp->find(x.key) : nullptr;
      if (!q) continue;
      const StTensor* theirs = rec->find(x.key);
      std::string shown;
      if (theirs && q->stride == 1 && theirs->values.size() <= kWholeTensor)
        shown = values_text(theirs->values, theirs->shape) + "  ";
      fmt::print("    {:<9} {:<11} {}max |Δ| {}, relative {}{}\n", "PyTorch", "", shown, num(q->max_abs),
                 num(q->max_rel),
                 q->stride > 1 ? fmt::format(" (every {}th of {} values)", q->stride, x.values.size()) : "");
    }
  }

  const WeightRef w = o.weight.empty() ? default_chain_weight(t) : parse_weight(o.weight);
  print_chain_rule(chain_rule(t, w), t.batch_size);
}

}  // namespace

void add_step_command(CLI::App& app) {
  auto o = std::make_shared<StepOptions>();
  CLI::App* sub = app.add_subcommand("step", "One training step, every number, next to PyTorch's");
  sub->add_option("--model", o->model, "xor (the 2-10-10-10-1 sigmoid MLP), linear (784-10) or mlp (784-256-256-10)")
      ->check(CLI::IsMember({"xor", "linear", "mlp"}))
      ->capture_default_str();
  sub->add_option("--data", o->data, "MNIST folder (linear, mlp)")->capture_default_str();
  sub->add_option("--weight", o->weight,
                  "LAYER,ROW,COL: the weight whose chain rule is written out (LAYER: the module index, as in "
                  "0.weight; default: the first Linear's weight with the largest gradient)");
  sub->add_option("--lr", o->lr, "SGD learning rate (default: the recipe's)");
  sub->add_option("--seed", o->seed, "Seed of the initial weights and the shuffle (default: the recipe's)");
  sub->add_option("--recorded", o->recorded,
                  "PyTorch's recording to compare with (default: assets/step/pytorch-step-MODEL.safetensors)");
  sub->add_option("--write-case", o->write_case,
                  "Write the step's inputs for tests/torch_step.py to this file instead of stepping");
  sub->callback([o] { run_step(*o); });
}

}  // namespace nnplay::cli
