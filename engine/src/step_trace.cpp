// One training step recorded stage by stage (see step_trace.h). The step itself is
// train_step's; this file only reads what it left in the layers and the buffers.
#include "nnplay/step_trace.h"

#include <cmath>

#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/softmax.h"
#include "nnplay/step_record.h"
#include "nnplay/trainer.h"

namespace nnplay {

namespace {

std::string str(int i) { return std::to_string(i); }

TraceTensor make(const std::string& key, const std::string& label, const Tensor& t) {
  return {key, label, t.shape(), t.to_host()};
}

TraceTensor slice(const std::string& key, const std::string& label, const ParameterEntry& e,
                  const std::vector<float>& flat) {
  return {key, label, e.shape,
          std::vector<float>(flat.begin() + e.offset, flat.begin() + e.offset + e.numel)};
}

const char* activation_formula(const std::string& kind) {
  if (kind == "Sigmoid") return "a = σ(z) = 1 / (1 + e^(−z))";
  if (kind == "ReLU") return "a = max(0, z)";
  if (kind == "Tanh") return "a = tanh(z)";
  if (kind == "Step") return "a = 1 if z > 0, else 0";
  return "a = z";
}

// The activation's derivative, written with its output a (or its input z for ReLU).
const char* activation_derivative(const std::string& kind) {
  if (kind == "Sigmoid") return "a(1 − a)";
  if (kind == "ReLU") return "[z > 0]";
  if (kind == "Tanh") return "1 − a²";
  return "0";
}

bool is_activation(const std::string& kind) {
  return kind == "Sigmoid" || kind == "ReLU" || kind == "Tanh" || kind == "Step" || kind == "Identity";
}

const char* loss_formula(LossKind k) {
  switch (k) {
    case LossKind::CrossEntropy: return "L = −(1/N) Σₙ log p[n][yₙ]";
    case LossKind::NLL: return "L = −(1/N) Σₙ logp[n][yₙ]";
    case LossKind::BCE: return "L = −(1/N) Σₙ [tₙ·log aₙ + (1 − tₙ)·log(1 − aₙ)]";
    case LossKind::MSE: return "L = (1/N) Σₙ (aₙ − tₙ)²";
  }
  return "";
}

const char* dloss_formula(LossKind k) {
  switch (k) {
    case LossKind::CrossEntropy: return "dL/dz = (p − y) / N";
    case LossKind::NLL: return "dL/dlogp = −y / N";
    case LossKind::BCE: return "dL/da = (a − t) / (a·(1 − a)·N)";
    case LossKind::MSE: return "dL/da = 2·(a − t) / N";
  }
  return "";
}

std::string arrow(const ModulePlan& m) { return shape_text(m.in) + " → " + shape_text(m.out); }

}  // namespace

const TraceStage* StepTrace::stage(const std::string& id) const {
  for (const TraceStage& s : stages)
    if (s.id == id) return &s;
  return nullptr;
}

const TraceTensor* StepTrace::tensor(const std::string& key) const {
  for (const TraceStage& s : stages)
    for (const TraceTensor& t : s.tensors)
      if (t.key == key) return &t;
  return nullptr;
}

StepTrace trace_step(Sequential& model, const OptimizerConfig& sgd, LossKind loss, const Batch& batch) {
  if (sgd.name != "sgd" || sgd.momentum != 0.0f || sgd.weight_decay != 0.0f)
    throw Error("the step view shows plain SGD (W' = W − lr·dL/dW): optimizer " + sgd.name +
                " with momentum and weight decay 0 only");
  if (!batch.x) throw Error("the step view needs a batch");
  if ((loss == LossKind::CrossEntropy || loss == LossKind::NLL) != (batch.labels != nullptr))
    throw Error(std::string("the ") + loss_name(loss) + " loss needs " +
                (batch.labels ? "float targets" : "class labels"));

  const std::vector<ModulePlan> plan = plan_modules(model.spec());
  if (plan.size() != model.size()) throw Error("the step view: the model's modules do not match its plan");
  StepTrace t;
  t.model = model.spec().describe();
  t.loss = loss;
  t.lr = sgd.lr;
  t.batch_size = batch.size();
  t.case_hash = step_case_hash(model, loss, sgd.lr, batch);
  t.parameters = model.parameters().entries();
  t.params_before = model.parameters().data().to_host();
  for (size_t i = 0; i < plan.size(); ++i) {
    TraceModule m{model.layer(i).kind(), model.layer(i).describe(), "", ""};
    const LayerKind k = plan[i].layer.kind;
    if (k == LayerKind::Linear || k == LayerKind::Conv2d) {
      m.weight = plan[i].prefix + "weight";
      if (plan[i].bias) m.bias = plan[i].prefix + "bias";
    }
    t.modules.push_back(m);
  }

  // The step: the trainer's own, untouched.
  auto optimizer = make_optimizer(model.parameters(), sgd);
  Tensor dpred;
  t.loss_value = train_step(model, *optimizer, loss, batch, dpred);
  t.params_after = model.parameters().data().to_host();
  const std::vector<float> grads = model.parameters().grad().to_host();
  const ParameterSet& params = model.parameters();
  auto entry = [&](const std::string& name) -> const ParameterEntry& {
    const ParameterEntry* e = params.find(name);
    if (!e) throw Error("the step view: no parameter " + name);
    return *e;
  };

  // ---- the batch
  t.stages.push_back({"input", "The batch: inputs", "x: " + std::to_string(batch.size()) + " samples",
                      StagePhase::Batch, -1, {make("x", "x", *batch.x)}});
  if (batch.labels) {
    const std::vector<int32_t> l = batch.labels->to_host();
    t.stages.push_back({"targets", "The batch: labels", "y: the class of each sample", StagePhase::Batch, -1,
                        {{"labels", "y", {int64_t(l.size())}, std::vector<float>(l.begin(), l.end())}}});
  } else {
    t.stages.push_back({"targets", "The batch: targets", "t: the wanted output of each sample", StagePhase::Batch,
                        -1, {make("targets", "t", *batch.targets)}});
  }

  // ---- forward
  const int last = int(plan.size()) - 1;
  for (int i = 0; i <= last; ++i) {
    const TraceModule& m = t.modules[size_t(i)];
    TraceStage s{"forward." + str(i), m.description, "", StagePhase::Forward, i, {}};
    const std::string out = "out." + str(i);
    if (m.kind == "Linear" || m.kind == "Conv2d") {
      const bool logits = i == last;
      s.title = m.kind + " " + str(i) + " (" + arrow(plan[size_t(i)]) + "): " +
                (logits ? "the logits" : "pre-activation");
      s.formula = m.kind == "Linear" ? (m.bias.empty() ? "z = x·Wᵀ" : "z = x·Wᵀ + b")
                                     : (m.bias.empty() ? "z = W ⊛ x" : "z = W ⊛ x + b");
      s.tensors.push_back(slice("param." + m.weight, "W", entry(m.weight), t.params_before));
      if (!m.bias.empty()) s.tensors.push_back(slice("param." + m.bias, "b", entry(m.bias), t.params_before));
      s.tensors.push_back(make(out, "z", model.layer(size_t(i)).output()));
    } else if (is_activation(m.kind)) {
      s.title = m.kind + " " + str(i) + ": activation";
      s.formula = activation_formula(m.kind);
      s.tensors.push_back(make(out, "a", model.layer(size_t(i)).output()));
    } else {
      s.title = m.kind + " " + str(i) + " (" + arrow(plan[size_t(i)]) + ")";
      s.formula = m.kind == "MaxPool2d" ? "a = the largest x in each window"
                  : m.kind == "Flatten" ? "a = x as (N, C·H·W)"
                                        : "a = x ⊙ mask / (1 − p)";
      s.tensors.push_back(make(out, "a", model.layer(size_t(i)).output()));
    }
    t.stages.push_back(std::move(s));
  }

  // ---- the loss
  const Tensor& pred = model.layer(size_t(last)).output();
  if (loss == LossKind::CrossEntropy) {
    const int n = int(pred.dim(0)), c = int(pred.dim(1));
    const std::vector<float> z = pred.to_host();
    std::vector<float> p(z.size());
    softmax_forward(z.data(), p.data(), n, c);
    t.stages.push_back({"softmax", "Softmax of the logits", "p = e^(z − max z) / Σⱼ e^(zⱼ − max z)",
                        StagePhase::Loss, -1, {{"softmax", "p", pred.shape(), p}}});
    t.stages.push_back({"onehot", "One-hot targets", "y[n][c] = 1 if c = yₙ, else 0", StagePhase::Loss, -1,
                        {{"onehot", "y", pred.shape(), one_hot(batch.labels->to_host(), c)}}});
  }
  t.stages.push_back({"loss", std::string("The loss (") + loss_name(loss) + ")", loss_formula(loss),
                      StagePhase::Loss, -1, {{"loss", "L", {1}, {t.loss_value}}}});
  const bool to_logits = loss == LossKind::CrossEntropy || t.modules.back().kind == "Linear";
  t.stages.push_back({"dloss", to_logits ? "Gradient of the loss: dL/dlogits" : "Gradient of the loss: dL/doutput",
                      dloss_formula(loss), StagePhase::Backward, last,
                      {make("dout." + str(last), loss == LossKind::CrossEntropy ? "dL/dz" : "dL/da", dpred)}});

  // ---- backward, from the last module to the first
  for (int i = last; i >= 0; --i) {
    const TraceModule& m = t.modules[size_t(i)];
    TraceStage s{"backward." + str(i), "", "", StagePhase::Backward, i, {}};
    const std::string din = "dout." + str(i - 1);
    if (m.kind == "Linear" || m.kind == "Conv2d") {
      s.title = m.kind + " " + str(i) + ": gradients";
      s.formula = m.kind == "Linear" ? "dL/dW = (dL/dz)ᵀ·x" : "dL/dW = dL/dz ⋆ x";
      if (!m.bias.empty()) s.formula += ",  dL/db = Σₙ dL/dz";
      s.tensors.push_back(slice("grad." + m.weight, "dL/dW", entry(m.weight), grads));
      if (!m.bias.empty()) s.tensors.push_back(slice("grad." + m.bias, "dL/db", entry(m.bias), grads));
      if (i > 0) {
        s.formula += m.kind == "Linear" ? ",  dL/dx = dL/dz·W" : ",  dL/dx = dL/dz ⊛ᵀ W";
        s.tensors.push_back(make(din, "dL/dx", model.layer(size_t(i)).input_grad()));
      }
    } else {
      s.title = m.kind + " " + str(i) + ": back through it";
      if (is_activation(m.kind))
        s.formula = std::string("dL/dz = dL/da ⊙ ") + activation_derivative(m.kind);
      else
        s.formula = m.kind == "MaxPool2d" ? "dL/dx = dL/da at each window's largest x, 0 elsewhere"
                    : m.kind == "Flatten" ? "dL/dx = dL/da as (N, C, H, W)"
                                          : "dL/dx = dL/da ⊙ mask / (1 − p)";
      if (i > 0) s.tensors.push_back(make(din, is_activation(m.kind) ? "dL/dz" : "dL/dx",
                                          model.layer(size_t(i)).input_grad()));
    }
    t.stages.push_back(std::move(s));
  }

  // ---- the update, layer by layer
  for (int i = 0; i <= last; ++i) {
    const TraceModule& m = t.modules[size_t(i)];
    if (m.weight.empty()) continue;
    TraceStage step{"lr_grad." + str(i), m.kind + " " + str(i) + ": the step", "lr·dL/dW",
                    StagePhase::Update, i, {}};
    TraceStage next{"new." + str(i), m.kind + " " + str(i) + ": the new weights", "W' = W − lr·dL/dW",
                    StagePhase::Update, i, {}};
    if (!m.bias.empty()) {
      step.formula += ",  lr·dL/db";
      next.formula += ",  b' = b − lr·dL/db";
    }
    for (const std::string& name : {m.weight, m.bias}) {
      if (name.empty()) continue;
      const bool w = name == m.weight;
      TraceTensor g = slice("lr_grad." + name, w ? "lr·dL/dW" : "lr·dL/db", entry(name), grads);
      for (float& v : g.values) v *= sgd.lr;  // shown, not used: the new weights are the step's own
      step.tensors.push_back(std::move(g));
      next.tensors.push_back(slice("new." + name, w ? "W'" : "b'", entry(name), t.params_after));
    }
    t.stages.push_back(std::move(step));
    t.stages.push_back(std::move(next));
  }
  return t;
}

// ---------------------------------------------------------------------------------------
// The chain rule for one weight

std::vector<int> linear_modules(const StepTrace& trace) {
  std::vector<int> out;
  for (size_t i = 0; i < trace.modules.size(); ++i)
    if (trace.modules[i].kind == "Linear") out.push_back(int(i));
  return out;
}

WeightRef default_chain_weight(const StepTrace& trace) {
  const std::vector<int> linears = linear_modules(trace);
  if (linears.empty()) throw Error("the model has no Linear layer");
  const int k = linears.front();
  const TraceTensor* g = trace.tensor("grad." + trace.modules[size_t(k)].weight);
  if (!g) throw Error("the trace lacks the gradient of module " + std::to_string(k));
  size_t best = 0;
  for (size_t j = 1; j < g->values.size(); ++j)
    if (std::fabs(g->values[j]) > std::fabs(g->values[best])) best = j;
  const int64_t cols = g->shape[1];
  return {k, int64_t(best) / cols, int64_t(best) % cols};
}

ChainRule chain_rule(const StepTrace& trace, const WeightRef& w) {
  if (w.module < 0 || size_t(w.module) >= trace.modules.size() || trace.modules[size_t(w.module)].kind != "Linear") {
    std::string list;
    for (int k : linear_modules(trace)) list += (list.empty() ? "" : ", ") + std::to_string(k);
    throw Error("module " + std::to_string(w.module) + " is not a Linear layer (Linear modules: " + list + ")");
  }
  const TraceModule& m = trace.modules[size_t(w.module)];
  auto need = [&](const std::string& key) -> const TraceTensor& {
    const TraceTensor* t = trace.tensor(key);
    if (!t) throw Error("the trace lacks " + key);
    return *t;
  };
  const TraceTensor& grad = need("grad." + m.weight);
  const int64_t rows = grad.shape[0], cols = grad.shape[1];
  if (w.row < 0 || w.row >= rows || w.col < 0 || w.col >= cols)
    throw Error("weight [" + std::to_string(w.row) + "][" + std::to_string(w.col) + "] is outside " + m.weight +
                " (" + std::to_string(rows) + " × " + std::to_string(cols) + ")");
  const TraceTensor& x = need(w.module == 0 ? std::string("x") : "out." + std::to_string(w.module - 1));
  const TraceTensor& dz = need("dout." + std::to_string(w.module));
  const size_t idx = size_t(w.row * cols + w.col);

  ChainRule r;
  r.module = w.module;
  r.row = w.row;
  r.col = w.col;
  r.weight_name = m.weight;
  r.weight = need("param." + m.weight).values[idx];
  r.gradient = grad.values[idx];
  r.lr = trace.lr;
  r.lr_gradient = trace.lr * r.gradient;
  r.new_weight = need("new." + m.weight).values[idx];

  // Where dL/dz[n][r] comes from: the activation after this Linear, or the loss.
  const TraceTensor* outer = nullptr;
  const TraceTensor* act_out = nullptr;
  const TraceTensor* local = nullptr;
  std::string next_kind;
  const size_t next = size_t(w.module) + 1;
  if (next < trace.modules.size() && is_activation(trace.modules[next].kind) &&
      trace.modules[next].kind != "Identity" && trace.modules[next].kind != "Step") {
    next_kind = trace.modules[next].kind;
    outer = trace.tensor("dout." + std::to_string(next));
    act_out = trace.tensor((next_kind == "ReLU" ? "out." + std::to_string(w.module) : "out." + std::to_string(next)));
    r.upstream_formula = std::string("dL/dz[n][r] = dL/da[n][r] · ") + activation_derivative(next_kind);
    r.outer_label = "dL/da";
    r.local_label = activation_derivative(next_kind);
  } else if (next == trace.modules.size() && trace.loss == LossKind::CrossEntropy) {
    outer = trace.tensor("softmax");
    local = trace.tensor("onehot");
    r.upstream_formula = "dL/dz[n][r] = (p[n][r] − y[n][r]) / N";
    r.outer_label = "p";
    r.local_label = "y";
  }

  const int64_t n = x.shape[0];
  const int64_t in = int64_t(x.values.size()) / n, out = int64_t(dz.values.size()) / n;
  for (int64_t s = 0; s < n; ++s) {
    ChainTerm term;
    term.sample = s;
    const size_t at = size_t(s * out + w.row);
    term.upstream = dz.values[at];
    term.input = x.values[size_t(s * in + w.col)];
    term.product = double(term.upstream) * double(term.input);
    term.outer = outer ? outer->values[at] : NAN;
    if (local) {
      term.local = local->values[at];
    } else if (act_out) {
      const float a = act_out->values[at];
      term.local = next_kind == "Sigmoid" ? a * (1.0f - a) : next_kind == "Tanh" ? 1.0f - a * a : (a > 0.0f ? 1.0f : 0.0f);
    } else {
      term.local = NAN;
    }
    r.sum += term.product;
    r.terms.push_back(term);
  }
  return r;
}

}  // namespace nnplay
