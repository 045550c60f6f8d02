// The self-test walk (see self_test.h). Each check gets called once per frame with the
// number of frames it has run so far; frame 0 is where it issues its commands, later
// frames wait for training to finish. A check that waits too long fails by timeout.
#include "testing/self_test.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>

#include "shell/app_actions.h"
#include "shell/app_state.h"
#include "mnist/mnist_actions.h"

namespace nnplay::ui {

namespace {

enum class Verdict { Wait, Pass, Fail };

struct Check {
  const char* name;
  std::function<Verdict(AppState&, long frame, std::string& detail)> run;
};

constexpr double kTimeoutSeconds = 180.0;

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[200];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

Verdict fail(std::string& detail, const std::string& why) {
  detail = why;
  return Verdict::Fail;
}

Verdict settings_round_trip(AppState& st, long, std::string& detail) {
  std::vector<std::string> warnings;
  const char* sample = "panel=network&dataset=spiral&layers=2-8-8-1&act=tanh&lr=0.03&seed=7&gate=nand&w1=-0.25"
                       "&scale=12.5&lseed=99&xseed=5&noise=0.2&test=0.25&batch=16&opt=adam&loss=mse";
  Settings a = parse_settings(sample, warnings);
  Settings b = parse_settings(format_settings(a), warnings);
  if (!warnings.empty()) return fail(detail, "unexpected warning: " + warnings.front());
  if (!(a == b) || format_settings(a) != format_settings(b)) return fail(detail, "sample settings changed on a round trip");
  if (a.network.seed != 7 || a.network.layers != std::vector<int64_t>{2, 8, 8, 1} || a.gates.w1 != -0.25f)
    return fail(detail, "sample settings were not all read");
  Settings current = parse_settings(format_settings(st.s), warnings);
  if (!(current == st.s)) return fail(detail, "the current settings do not round-trip");
  parse_settings("lr=abc&unknown=1&layers=3-1&seed=-4", warnings);
  if (warnings.size() != 4) return fail(detail, fmt("expected 4 warnings for 4 bad keys, got %g", double(warnings.size())));
  detail = "sample and current settings round-trip; 4 bad keys gave 4 warnings";
  return Verdict::Pass;
}

Verdict tutorial_gates(AppState& st, long, std::string& detail) {
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR}) {
    run_test_command(st, std::string("gates.gate=") + gate_name(g));
    const GatesSettings& s = st.s.gates;
    Perceptron p{s.w1, s.w2, s.b};
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2)
        if (p(float(x1), float(x2)) != gate_target(g, x1, x2))
          return fail(detail, std::string(gate_name(g)) + " with the tutorial's weights gets a row wrong");
  }
  for (int x1 = 0; x1 <= 1; ++x1)
    for (int x2 = 0; x2 <= 1; ++x2)
      if (xor_composed(x1, x2) != gate_target(Gate::XOR, x1, x2))
        return fail(detail, "the NAND/OR/AND circuit does not compute XOR");
  detail = "AND, NAND, OR correct on all 4 rows; the circuit computes XOR";
  return Verdict::Pass;
}

Verdict learning_rule(AppState& st, long, std::string& detail) {
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR, Gate::XOR}) {
    run_test_command(st, std::string("gates.gate=") + gate_name(g));
    run_test_command(st, "gates.finish");
    const PerceptronStepper& r = st.gates.stepper;
    const PerceptronRun& e = st.gates.engine_run;
    if (r.converged() != e.converged || r.cycled() != e.cycled || r.completed_epochs() != e.epochs)
      return fail(detail, std::string(gate_name(g)) + ": the animated rule and train_perceptron disagree");
    const bool separable = g != Gate::XOR;
    if (separable != r.converged() || separable == r.cycled())
      return fail(detail, std::string(gate_name(g)) + (separable ? " did not converge" : " did not cycle"));
    detail += std::string(detail.empty() ? "" : ", ") + gate_name(g) +
              (separable ? fmt(" converged in %g epochs", r.completed_epochs())
                         : fmt(" cycles (epoch %g's weights return at epoch %g)", r.cycle_start(), r.completed_epochs()));
  }
  return Verdict::Pass;
}

Verdict xor221(AppState& st, long frame, std::string& detail) {
  if (frame == 0) {
    run_test_command(st, "panel=gates");
    run_test_command(st, "gates.gate=xor");
    run_test_command(st, "xor221.reset");
    return run_test_command(st, "xor221.train") ? Verdict::Wait : Verdict::Fail;
  }
  // Done as soon as all four points are right (a few hundred epochs), or when it stopped.
  auto s = st.gates.xor_runner.snapshot();
  if (!s || (s->running && s->train_acc < 1.0f)) return Verdict::Wait;
  detail = fmt("epoch %g, loss %.4g, accuracy %.2f", s->epoch, s->train_loss, s->train_acc);
  return s->train_acc == 1.0f ? Verdict::Pass : Verdict::Fail;
}

Verdict loss_lab(AppState& st, long frame, std::string& detail) {
  if (frame == 0) {
    run_test_command(st, "panel=loss");
    return Verdict::Wait;  // draw the panel once
  }
  run_test_command(st, "scale=1");
  const LossLabResult& a = st.loss.result;
  for (int f = 0; f < kCostForms; ++f)
    if (!std::isfinite(a.costs[size_t(f)].value) || a.max_grad_diff[size_t(f)] > 1e-5f)
      return fail(detail, std::string("form '") + cost_form_name(CostForm(f)) + "' disagrees at scale 1");
  if (a.spread > 1e-6f) return fail(detail, fmt("costs differ by %g at scale 1", a.spread));
  const float ce = a.costs[size_t(CostForm::CrossEntropy)].value;
  run_test_command(st, "scale=1000");
  const LossLabResult& b = st.loss.result;
  if (b.naive_finite || !b.stable_finite)
    return fail(detail, "at scale 1000 the log(softmax) path should break and log_softmax stay finite");
  detail = fmt("five costs equal (%.6g, spread %.2g); at scale 1000 the naive path gives %g", ce, a.spread, b.naive_cost);
  return Verdict::Pass;
}

Verdict network_lab(AppState& st, long frame, std::string& detail) {
  if (frame == 0) {
    // The tutorial's defaults, whatever the user had: 2-10-10-10-1 sigmoid, BCE, SGD lr 1.
    run_test_command(st, "settings=panel=network");
    return run_test_command(st, "network.train") ? Verdict::Wait : Verdict::Fail;
  }
  auto s = st.network.runner->snapshot();
  if (!s || s->running) return Verdict::Wait;
  detail = fmt("epoch %g, loss %.4g, accuracy %.2f", s->epoch, s->train_loss, s->test_acc);
  return s->test_acc == 1.0f && s->epoch == s->max_epochs ? Verdict::Pass : Verdict::Fail;
}

Verdict mnist_panel(AppState& st, long frame, std::string& detail) {
  const int v = mnist_self_test(st, frame, detail);
  return v < 0 ? Verdict::Wait : v == 0 ? Verdict::Pass : Verdict::Fail;
}

const std::vector<Check>& checks() {
  static const std::vector<Check> list = {
      {"settings round trip", settings_round_trip},
      {"tutorial gate weights", tutorial_gates},
      {"perceptron learning rule", learning_rule},
      {"XOR with a 2-2-1 network", xor221},
      {"loss lab: five costs, extreme scale", loss_lab},
      {"network lab: the tutorial's XOR MLP", network_lab},
      {"MNIST: one epoch on 10,000 images, confusion matrix, a drawn 1", mnist_panel},
  };
  return list;
}

}  // namespace

int self_test_step(AppState& st, std::string& log) {
  SelfTest& t = st.self_test;
  if (t.result != -1) return t.result;
  if (!t.started) {
    t.started = true;
    t.saved_settings = format_settings(st.s);
    t.saved_expand_all = st.ui.expand_all;
    st.ui.expand_all = true;  // draw every section of every panel on the way
    t.step_started = now_seconds();
    log += "self-test: " + std::to_string(checks().size()) + " checks\n";
  }
  const Check& c = checks()[t.step];
  std::string detail;
  Verdict v = c.run(st, t.step_frames++, detail);
  if (v == Verdict::Wait && now_seconds() - t.step_started > kTimeoutSeconds) {
    v = Verdict::Fail;
    detail = "timed out after " + std::to_string(int(kTimeoutSeconds)) + " s";
  }
  if (v == Verdict::Wait) return -1;
  log += std::string(v == Verdict::Pass ? "PASS " : "FAIL ") + c.name + (detail.empty() ? "" : ": " + detail) + "\n";
  if (v == Verdict::Fail) ++t.failures;
  ++t.step;
  t.step_frames = 0;
  t.step_started = now_seconds();
  if (t.step < checks().size()) return -1;
  // Put the user's settings back (this rebuilds the panels they changed).
  run_test_command(st, "network.pause");
  run_test_command(st, "settings=" + t.saved_settings);
  st.ui.expand_all = t.saved_expand_all;
  t.result = t.failures == 0 ? 0 : 1;
  log += t.result == 0 ? "self-test passed\n" : "self-test FAILED (" + std::to_string(t.failures) + " checks)\n";
  return t.result;
}

}  // namespace nnplay::ui
