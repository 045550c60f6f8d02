// The JSON state and the live status line, built from the same snapshots the panels draw.
#include "testing/state_report.h"

#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "mnist/mnist_report.h"
#include "one_step/step_report.h"
#include "widgets/json_writer.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

const char* mode_name(TrainingMode m) { return m == TrainingMode::WorkerThread ? "worker-thread" : "per-frame-slices"; }

void write_gates(JsonWriter& j, const AppState& st) {
  const GatesSettings& gs = st.s.gates;
  const Perceptron p{gs.w1, gs.w2, gs.b};
  std::vector<int> outputs, targets;
  int correct = 0;
  for (int x1 = 0; x1 <= 1; ++x1)
    for (int x2 = 0; x2 <= 1; ++x2) {
      outputs.push_back(p(float(x1), float(x2)));
      targets.push_back(gate_target(gs.gate, x1, x2));
      correct += outputs.back() == targets.back();
    }
  const PerceptronStepper& r = st.gates.stepper;
  const PerceptronRun& e = st.gates.engine_run;
  j.key("gates").begin_object();
  j.field("gate", gate_name(gs.gate)).field("w1", gs.w1).field("w2", gs.w2).field("b", gs.b);
  j.field("outputs", outputs).field("targets", targets).field("correct", correct);
  j.key("rule").begin_object();
  j.field("lr", gs.perceptron_lr).field("epoch", r.completed_epochs()).field("playing", st.gates.playing);
  j.field("finished", r.finished()).field("converged", r.converged()).field("cycled", r.cycled());
  j.field("cycle_start", r.cycle_start());
  j.field("engine_epochs", e.epochs).field("engine_converged", e.converged).field("engine_cycled", e.cycled);
  j.field("engine_cycle_start", e.cycle_start);
  j.end_object();
  j.end_object();
}

void write_run(JsonWriter& j, const NetworkSnapshot* s) {
  j.field("epoch", s ? s->epoch : 0).field("max_epochs", s ? s->max_epochs : 0);
  j.field("running", s ? s->running : false);
  j.field("train_loss", s ? s->train_loss : NAN).field("test_loss", s ? s->test_loss : NAN);
  j.field("train_acc", s ? s->train_acc : NAN).field("test_acc", s ? s->test_acc : NAN);
  // The figure of the tutorial's final table: accuracy on held-out points (XOR: its four).
  j.field("accuracy", s ? s->test_acc : NAN);
  j.field("lr", s ? s->lr : NAN);
  j.field("activation", s ? activation_name(s->activation) : "");
  j.field("layers", s ? format_layers(s->config.spec.sizes) : "");
  j.field("train_points", s ? s->data->train.size() : int64_t(0));
  j.field("test_points", s ? s->data->test.size() : int64_t(0));
  j.field("error", s ? s->error : "");
}

void write_loss(JsonWriter& j, const AppState& st) {
  const LossLabResult& r = st.loss.result;
  std::vector<float> costs, diffs;
  std::vector<std::string> forms;
  for (int f = 0; f < kCostForms; ++f) {
    costs.push_back(r.costs[size_t(f)].value);
    diffs.push_back(r.max_grad_diff[size_t(f)]);
    forms.push_back(cost_form_name(CostForm(f)));
  }
  j.key("loss_lab").begin_object();
  j.field("scale", r.scale).field("costs", costs).field("forms", forms).field("max_grad_diff", diffs);
  j.field("spread", r.spread).field("naive_cost", r.naive_cost).field("naive_finite", r.naive_finite);
  j.field("unshifted_finite", r.unshifted_finite).field("stable_finite", r.stable_finite);
  j.field("logits", st.loss.inputs.logits).field("labels", st.loss.inputs.labels);
  j.end_object();
}

}  // namespace

std::string state_json(const AppState& st) {
  JsonWriter j;
  j.begin_object();
  j.field("panel", panel_key(st.s.panel)).field("frames", int64_t(st.frames)).field("mode", mode_name(st.ui.mode));
  j.field("settings", format_settings(st.s)).field("warnings", st.ui.warnings);
  write_gates(j, st);
  auto xor_snap = st.gates.xor_runner.snapshot();
  j.key("xor221").begin_object().field("started", st.gates.xor_started);
  write_run(j, st.gates.xor_started ? xor_snap.get() : nullptr);
  j.end_object();
  write_loss(j, st);
  auto net = st.network.runner ? st.network.runner->snapshot() : nullptr;
  j.key("network").begin_object().field("dataset", toy2d_name(st.s.network.dataset));
  write_run(j, net.get());
  j.field("config_error", st.network.config_error);
  j.end_object();
  write_mnist_state(j, st.mnist_panel);
  write_step_state(j, st.step_panel);
  j.field("self_test", st.self_test.result);
  j.field("lang", lang_key(st.s.lang));
  // Where the last frame drew the named items, and the viewport they should fit in.
  j.key("layout").begin_object();
  // (No ImGui context: a settings test without a window; no viewport then.)
  const ImVec2 vp = ImGui::GetCurrentContext() ? ImGui::GetMainViewport()->WorkSize : ImVec2(0, 0);
  j.field("viewport", std::vector<float>{vp.x, vp.y});
  j.field("overflow_x", st.overflow_x);
  for (const auto& [name, r] : st.ui.rects) j.field(name.c_str(), std::vector<float>(r.begin(), r.end()));
  j.end_object();
  j.end_object();
  return j.str();
}

std::string status_line(const AppState& st) {
  char buf[256];
  switch (st.s.panel) {
    case PanelId::Gates: {
      const GatesSettings& g = st.s.gates;
      const Perceptron p{g.w1, g.w2, g.b};
      int correct = 0;
      for (int x1 = 0; x1 <= 1; ++x1)
        for (int x2 = 0; x2 <= 1; ++x2) correct += p(float(x1), float(x2)) == gate_target(g.gate, x1, x2);
      std::snprintf(buf, sizeof buf, "%s perceptron w1=%.2f w2=%.2f b=%.2f: %d of 4 rows correct", gate_name(g.gate),
                    double(g.w1), double(g.w2), double(g.b), correct);
      std::string line = buf;
      if (st.gates.xor_started)
        if (auto s = st.gates.xor_runner.snapshot()) {
          std::snprintf(buf, sizeof buf, "; XOR 2-2-1 epoch %d, loss %.4f, accuracy %.2f", s->epoch,
                        double(s->train_loss), double(s->train_acc));
          line += buf;
        }
      return line;
    }
    case PanelId::LossLab: {
      const LossLabResult& r = st.loss.result;
      std::snprintf(buf, sizeof buf, "scale %.3g: cross-entropy %.6g, log(softmax) path %s, log_softmax path %s",
                    double(r.scale), double(r.costs[size_t(CostForm::CrossEntropy)].value),
                    r.naive_finite ? "finite" : "broken (inf/NaN)", r.stable_finite ? "finite" : "broken");
      return buf;
    }
    case PanelId::Network: {
      auto s = st.network.runner ? st.network.runner->snapshot() : nullptr;
      if (!s) return "network lab: " + st.network.config_error;
      std::snprintf(buf, sizeof buf, "%s %s: epoch %d, train loss %.4g, train accuracy %.2f, test accuracy %.2f%s",
                    toy2d_name(s->config.data.kind), format_layers(s->config.spec.sizes).c_str(), s->epoch,
                    double(s->train_loss), double(s->train_acc), double(s->test_acc),
                    s->running ? ", training" : (s->error.empty() ? ", paused" : ", stopped: loss diverged"));
      return buf;
    }
    case PanelId::Mnist: return mnist_status_line(st.mnist_panel);
    case PanelId::OneStep: return step_status_line(st.step_panel);
  }
  return "";
}

}  // namespace nnplay::ui
