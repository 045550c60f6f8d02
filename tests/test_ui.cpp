// The ImGui front end, headless: a real ImGui context with a fake display and a built
// font atlas, App::frame() between NewFrame and Render for many frames on every panel
// (switched with test commands), the mouse swept over the window so hover code runs,
// and real results asserted through test_state_json: XOR learnt by the 2-2-1 network
// and by the tutorial's 2-10-10-10-1 MLP, the five costs equal, the naive path breaking
// at extreme scale, settings round trips, the self-test, and warnings for bad settings.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "shell/app.h"
#include "imgui.h"
#include "network_lab/network_presets.h"
#include "nnplay/backend.h"
#include "nnplay/step_cases.h"
#include "shell/settings.h"
#include "ui_headless.h"

using nnplay::ui::App;
using nnplay::ui::TrainingMode;
using nlohmann::json;

namespace {

using nnplay::test::Headless;

json state(const App& app) { return json::parse(app.test_state_json()); }

bool training_done(const json& run) { return !run["running"].get<bool>(); }

}  // namespace

TEST(UiSettings, RoundTripRestoresEveryValueSeedIncluded) {
  const std::string given =
      "panel=network&dataset=spiral&layers=2-8-8-1&act=tanh&lr=0.03&seed=7&gate=nand&w1=-0.25&w2=0.125&b=1.5"
      "&plr=0.2&xlr=0.7&xseed=11&lseed=99&scale=12.5&points=300&noise=0.2&test=0.25&loss=mse&opt=adam"
      "&batch=16&epochs=500&labels=4-0-2";
  App a(given, TrainingMode::PerFrameSlices);
  EXPECT_TRUE(a.warnings().empty()) << a.warnings().front();
  const std::string s = a.settings();
  App b(s, TrainingMode::PerFrameSlices);
  EXPECT_TRUE(b.warnings().empty());
  EXPECT_EQ(b.settings(), s);

  json j = state(b);
  EXPECT_EQ(j["panel"], "network");
  EXPECT_EQ(j["network"]["dataset"], "spiral");
  EXPECT_EQ(j["network"]["layers"], "2-8-8-1");
  EXPECT_EQ(j["network"]["activation"], "tanh");
  EXPECT_FLOAT_EQ(j["network"]["lr"].get<float>(), 0.03f);
  EXPECT_EQ(j["network"]["train_points"].get<int>() + j["network"]["test_points"].get<int>(), 300);
  EXPECT_EQ(j["network"]["test_points"], 75);
  EXPECT_EQ(j["network"]["max_epochs"], 500);
  EXPECT_EQ(j["gates"]["gate"], "NAND");
  EXPECT_FLOAT_EQ(j["gates"]["w1"].get<float>(), -0.25f);
  EXPECT_FLOAT_EQ(j["gates"]["b"].get<float>(), 1.5f);
  EXPECT_FLOAT_EQ(j["loss_lab"]["scale"].get<float>(), 12.5f);
  EXPECT_EQ(j["loss_lab"]["labels"], json({4, 0, 2}));
  for (const char* key : {"seed=7", "xseed=11", "lseed=99", "opt=adam", "loss=mse", "batch=16", "plr=0.2"})
    EXPECT_NE(s.find(key), std::string::npos) << key << " missing from " << s;

  // The same seed draws the same data: both apps' logits agree, another seed's differ.
  EXPECT_EQ(state(a)["loss_lab"]["logits"], j["loss_lab"]["logits"]);
  App c("lseed=100", TrainingMode::PerFrameSlices);
  EXPECT_NE(state(c)["loss_lab"]["logits"], j["loss_lab"]["logits"]);
}

TEST(UiSettings, ParseFormatIsExactForAwkwardFloats) {
  std::vector<std::string> warnings;
  nnplay::ui::Settings s = nnplay::ui::parse_settings("lr=0.1&w1=0.30000001&noise=0.333333343", warnings);
  EXPECT_TRUE(warnings.empty());
  nnplay::ui::Settings t = nnplay::ui::parse_settings(nnplay::ui::format_settings(s), warnings);
  EXPECT_EQ(s, t);
  EXPECT_NE(nnplay::ui::format_settings(s).find("lr=0.1&"), std::string::npos) << "shortest form, not 0.100000001";
}

TEST(UiSettings, InvalidSettingsBecomeWarningsNotCrashes) {
  Headless ui;
  App app("lr=abc&foo=1&layers=3-2&seed=-1&panel=nope&&justakey&act=step&scale=1e9&logits=1,2", TrainingMode::PerFrameSlices);
  const auto& w = app.warnings();
  ASSERT_EQ(w.size(), 9u);
  for (const char* key : {"lr", "foo", "layers", "seed", "panel", "justakey", "act", "scale", "logits"}) {
    bool named = false;
    for (const std::string& m : w) named |= m.find(std::string("'") + key) != std::string::npos;
    EXPECT_TRUE(named) << "no warning names " << key;
  }
  // Every bad value kept its default.
  json j = state(app);
  EXPECT_EQ(j["network"]["layers"], "2-10-10-10-1");
  EXPECT_FLOAT_EQ(j["network"]["lr"].get<float>(), 1.0f);
  EXPECT_EQ(j["panel"], "gates");
  EXPECT_EQ(j["warnings"].size(), 9u);
  ui.frames(app, 5);
  // Test commands with bad values are refused, not applied.
  EXPECT_FALSE(app.test_command("lr=-3"));
  EXPECT_FALSE(app.test_command("no.such.command"));
  EXPECT_FALSE(app.test_command("gate=xnor"));
  EXPECT_FLOAT_EQ(state(app)["network"]["lr"].get<float>(), 1.0f);
}

TEST(UiGates, TutorialWeightsLearningRuleAndXorCircuit) {
  Headless ui;
  App app("panel=gates", TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  for (const char* g : {"and", "nand", "or"}) {
    ASSERT_TRUE(app.test_command(std::string("gate=") + g));
    ui.frames(app, 30);
    json j = state(app)["gates"];
    EXPECT_EQ(j["correct"], 4) << g;
    ASSERT_TRUE(app.test_command("gates.finish"));
    ui.frames(app, 2);
    j = state(app)["gates"];
    EXPECT_TRUE(j["rule"]["converged"].get<bool>()) << g;
    EXPECT_EQ(j["rule"]["epoch"], j["rule"]["engine_epochs"]) << g;
    EXPECT_EQ(j["correct"], 4) << g << ": the learnt weights compute the gate";
  }
  ASSERT_TRUE(app.test_command("gate=xor"));
  ui.frames(app, 10);
  EXPECT_EQ(state(app)["gates"]["correct"], 3) << "XOR starts from OR's weights: three rows right";
  // Animated: play the rule for a while at the default speed, then run it out.
  ASSERT_TRUE(app.test_command("gates.learn"));
  ui.frames(app, 240);  // 4 s at 60 Hz: 16 steps at 4 steps/s
  json j = state(app)["gates"]["rule"];
  EXPECT_GE(j["epoch"].get<int>(), 3);
  ASSERT_TRUE(app.test_command("gates.finish"));
  j = state(app)["gates"]["rule"];
  EXPECT_TRUE(j["cycled"].get<bool>());
  EXPECT_FALSE(j["converged"].get<bool>());
  EXPECT_TRUE(j["engine_cycled"].get<bool>());
  EXPECT_EQ(j["cycle_start"], j["engine_cycle_start"]);
  EXPECT_NE(app.live_status().find("XOR"), std::string::npos);
}

TEST(UiGates, Xor221NetworkLearnsXor) {
  Headless ui;
  App app("panel=gates&gate=xor", TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  ASSERT_TRUE(app.test_command("xor221.train"));
  // It is paced (1000 epochs/s) so that the lines can be watched moving; all four points
  // come out right after a few hundred epochs.
  ASSERT_TRUE(ui.frames_until(app, [&] {
    json x = state(app)["xor221"];
    return x["accuracy"] == 1.0 || training_done(x);
  }));
  json x = state(app)["xor221"];
  EXPECT_EQ(x["accuracy"], 1.0) << x.dump();
  EXPECT_TRUE(x["running"].get<bool>()) << "still sharpening, not stopped";
  EXPECT_LT(x["epoch"].get<int>(), 2000);
  EXPECT_EQ(x["layers"], "2-2-1");
  std::printf("[xor221] accuracy 1.0 at epoch %d, loss %.5f\n", x["epoch"].get<int>(), x["train_loss"].get<double>());
  ASSERT_TRUE(app.test_command("xor221.pause"));
  ui.frames(app, 20);  // draw the trained network with its hidden lines
  EXPECT_FALSE(state(app)["xor221"]["running"].get<bool>());
}

TEST(UiLossLab, FiveCostsAgreeAndNaivePathBreaksAtScale) {
  Headless ui;
  App app("panel=loss", TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  ui.frames(app, 30);
  json l = state(app)["loss_lab"];
  ASSERT_EQ(l["costs"].size(), 5u);
  const float ce = l["costs"][4].get<float>();
  EXPECT_GT(ce, 0.5f);  // uniform logits in [0,1) over 5 classes: near log 5 = 1.61
  EXPECT_LT(ce, 2.5f);
  for (int f = 0; f < 5; ++f) {
    EXPECT_NEAR(l["costs"][f].get<float>(), ce, 1e-6f) << l["forms"][f];
    EXPECT_LT(l["max_grad_diff"][f].get<float>(), 1e-6f) << l["forms"][f];
  }
  EXPECT_TRUE(l["naive_finite"].get<bool>());

  ASSERT_TRUE(app.test_command("scale=1000"));
  ui.frames(app, 30);
  l = state(app)["loss_lab"];
  EXPECT_FALSE(l["naive_finite"].get<bool>());
  EXPECT_TRUE(l["costs"][0].is_null()) << "NaN is written as null: " << l["costs"][0];
  EXPECT_FALSE(l["unshifted_finite"].get<bool>()) << "exp(1000 z) overflows";
  EXPECT_TRUE(l["stable_finite"].get<bool>());
  for (int f = 2; f < 5; ++f) EXPECT_TRUE(l["costs"][f].is_number()) << l["forms"][f];
  EXPECT_NEAR(l["costs"][2].get<float>(), l["costs"][4].get<float>(), 1e-3f * l["costs"][4].get<float>());
  EXPECT_NE(app.live_status().find("broken"), std::string::npos);
}

// The tutorial's network with its defaults, trained to the end in both training modes.
class UiNetworkLab : public ::testing::TestWithParam<TrainingMode> {};

TEST_P(UiNetworkLab, TutorialDefaultReachesAccuracyOne) {
  Headless ui;
  App app("panel=network", GetParam());
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  json n = state(app)["network"];
  EXPECT_EQ(n["layers"], "2-10-10-10-1");
  EXPECT_EQ(n["activation"], "sigmoid");
  EXPECT_FLOAT_EQ(n["lr"].get<float>(), 1.0f);
  EXPECT_EQ(n["epoch"], 0);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(app.test_command("network.train"));
  ASSERT_TRUE(ui.frames_until(app, [&] { return training_done(state(app)["network"]); }));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  n = state(app)["network"];
  EXPECT_EQ(n["epoch"], 10001);
  EXPECT_EQ(n["accuracy"], 1.0);
  EXPECT_LT(n["train_loss"].get<float>(), 0.01f);
  std::printf("[network lab] 10001 epochs in %.2f s, loss %.6f\n", seconds, n["train_loss"].get<double>());
  ui.frames(app, 10);
}

INSTANTIATE_TEST_SUITE_P(Modes, UiNetworkLab,
                         ::testing::Values(TrainingMode::PerFrameSlices, TrainingMode::WorkerThread),
                         [](const ::testing::TestParamInfo<TrainingMode>& p) {
                           return p.param == TrainingMode::PerFrameSlices ? "Slices" : "Worker";
                         });

TEST(UiNetworkLab, LearningRateAndActivationChangeWhileTrainingWithoutReset) {
  Headless ui;
  // The epoch limit is the largest allowed so that training is still running when checked,
  // however fast the machine.
  App app("panel=network&dataset=circle&layers=2-8-8-1&lr=0.3&epochs=10000000", TrainingMode::WorkerThread);
  ASSERT_TRUE(app.test_command("network.train"));
  ASSERT_TRUE(ui.frames_until(app, [&] { return state(app)["network"]["epoch"].get<int>() >= 50; }));
  app.take_settings_changed();
  ASSERT_TRUE(app.test_command("lr=0.05"));
  ASSERT_TRUE(app.test_command("act=tanh"));
  ui.frame(app);
  EXPECT_TRUE(app.take_settings_changed());
  EXPECT_FALSE(app.take_settings_changed()) << "reported once";
  json n = state(app)["network"];
  EXPECT_GE(n["epoch"].get<int>(), 50) << "no reset";
  EXPECT_TRUE(n["running"].get<bool>()) << n.dump();
  EXPECT_FLOAT_EQ(n["lr"].get<float>(), 0.05f);
  EXPECT_EQ(n["activation"], "tanh");
  EXPECT_NE(app.settings().find("act=tanh"), std::string::npos);
  // A structural change rebuilds: back to epoch 0, paused.
  ASSERT_TRUE(app.test_command("layers=2-4-1"));
  n = state(app)["network"];
  EXPECT_EQ(n["epoch"], 0);
  EXPECT_FALSE(n["running"].get<bool>());
  EXPECT_EQ(n["layers"], "2-4-1");
  // Step trains exactly one epoch.
  ASSERT_TRUE(app.test_command("network.step"));
  EXPECT_EQ(state(app)["network"]["epoch"], 1);
}

TEST(UiNetworkLab, EveryDatasetIsLearntAndDrawnOnAPhoneSizedViewport) {
  Headless ui(ImVec2(390, 844));
  // The spiral needs a wider net and more epochs than the others.
  const std::pair<const char*, const char*> runs[] = {
      {"circle", "layers=2-8-8-1&lr=0.1&epochs=150"},
      {"xor-quadrants", "layers=2-8-8-1&lr=0.1&epochs=150"},
      {"gaussians", "layers=2-8-8-1&lr=0.1&epochs=150"},
      {"spiral", "layers=2-16-16-1&lr=0.03&epochs=500"},
  };
  for (const auto& [ds, model] : runs) {
    App app(std::string("panel=network&act=tanh&opt=adam&batch=32&dataset=") + ds + "&" + model,
            TrainingMode::PerFrameSlices);
    ASSERT_TRUE(app.warnings().empty());
    ASSERT_TRUE(app.test_command("ui.expand_all"));
    ui.frames(app, 3);
    const float acc0 = state(app)["network"]["test_acc"].get<float>();
    ASSERT_TRUE(app.test_command("network.train"));
    ASSERT_TRUE(ui.frames_until(app, [&] { return training_done(state(app)["network"]); })) << ds;
    json n = state(app)["network"];
    EXPECT_EQ(n["epoch"], n["max_epochs"]) << ds;
    EXPECT_EQ(n["error"], "") << ds;
    EXPECT_GT(ui.vertices(), 1000) << "the panel drew its maps";
    std::printf("[%s] test accuracy %.3f -> %.3f, train loss %.4f\n", ds, double(acc0), n["test_acc"].get<double>(),
                n["train_loss"].get<double>());
    EXPECT_GE(n["test_acc"].get<float>(), 0.9f) << ds;
  }
}

// "Use settings that learn it", applied through the app as its button does, learns every
// dataset from the default data and seed within a bounded number of frames.
TEST(UiNetworkLab, SettingsThatLearnEachDatasetReachTheirAccuracy) {
  Headless ui;
  constexpr int kMaxFrames = 3000;  // each preset trains in under a second on one core
  for (const char* ds : {"xor", "circle", "xor-quadrants", "gaussians", "spiral"}) {
    App app(std::string("panel=network&dataset=") + ds, TrainingMode::PerFrameSlices);
    ASSERT_TRUE(app.test_command("network.preset")) << ds;
    ASSERT_TRUE(app.test_command("network.train")) << ds;
    int frames = 0, learnt_at = -1;
    for (; frames < kMaxFrames && state(app)["network"]["running"].get<bool>(); ++frames) {
      ui.frame(app);
      if (learnt_at < 0 && state(app)["network"]["accuracy"].get<float>() >= 0.9f) learnt_at = frames;
    }
    json n = state(app)["network"];
    std::printf("[preset %s] %s: accuracy 0.9 after %d frames, %.3f at epoch %d (%d frames)\n", ds,
                n["layers"].get<std::string>().c_str(), learnt_at, n["accuracy"].get<double>(), n["epoch"].get<int>(),
                frames);
    EXPECT_GE(learnt_at, 0) << ds << " never reached accuracy 0.9 in " << kMaxFrames << " frames";
    EXPECT_EQ(n["epoch"], n["max_epochs"]) << ds;
    EXPECT_GE(n["accuracy"].get<float>(), 0.95f) << ds;
    EXPECT_EQ(n["error"], "") << ds;
  }
}

// The decision map fills at least 40% of a 1280x800 window's height without scrolling, with
// the train button on screen too; on a phone it fits the width.
TEST(UiNetworkLab, DecisionMapIsLargeAndOnScreen) {
  for (const ImVec2 size : {ImVec2(1280, 800), ImVec2(390, 844)}) {
    Headless ui(size);
    for (const char* settings : {"panel=network", "panel=network&dataset=spiral&layers=2-16-16-16-1&lang=ko"}) {
      App app(settings, TrainingMode::PerFrameSlices);
      ui.frames(app, 3);
      const json l = state(app)["layout"];
      ASSERT_TRUE(l.contains("network.visual") && l.contains("network.train")) << l.dump();
      const auto map = l["network.visual"].get<std::vector<float>>();
      const auto train = l["network.train"].get<std::vector<float>>();
      EXPECT_LE(map[0] + map[2], size.x) << settings;
      EXPECT_LE(train[1] + train[3], size.y) << settings;
      if (size.x >= 1000) {
        EXPECT_GE(map[3], 0.4f * size.y) << settings;
        EXPECT_LE(map[1] + map[3], size.y) << settings;
      }
    }
  }
}

// The default network on the spiral stalls, and the panel can tell: its accuracy stops
// improving for thousands of epochs. The preset's run does not.
TEST(UiNetworkLab, AStalledRunIsNoticedAndThePresetsRunIsNot) {
  using namespace nnplay::ui;
  NetworkSettings s;
  s.dataset = nnplay::Toy2D::Spiral;
  s.epochs = 4000;
  NetworkSession stalled(network_config(s));
  stalled.set_running(true);
  while (stalled.running()) stalled.train_for(50);
  EXPECT_GE(stalled_epochs(stalled.snapshot()), kStallEpochs) << stalled.snapshot().test_acc;
  apply_preset(s, learning_preset(s.dataset));
  EXPECT_TRUE(uses_preset(s, learning_preset(s.dataset)));
  NetworkSession learnt(network_config(s));
  learnt.set_running(true);
  while (learnt.running()) learnt.train_for(50);
  EXPECT_EQ(stalled_epochs(learnt.snapshot()), 0);
}

TEST(UiApp, EveryPanelDrawsForManyFramesAndStatusFollowsThePanel) {
  Headless ui;
  App app("", TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  for (const char* p : {"gates", "loss", "network", "gates"}) {
    ASSERT_TRUE(app.test_command(std::string("panel=") + p));
    ui.frames(app, 60);
    EXPECT_EQ(state(app)["panel"], p);
    EXPECT_NE(app.settings().find(std::string("panel=") + p), std::string::npos);
  }
  ASSERT_TRUE(app.test_command("panel=network"));
  ui.frame(app);
  EXPECT_NE(app.live_status().find("epoch 0"), std::string::npos) << app.live_status();
}

TEST(UiApp, SelfTestPassesAndRestoresTheSettings) {
  Headless ui;
  const std::string given = "panel=loss&scale=3&dataset=circle&seed=5";
  App app(given, TrainingMode::PerFrameSlices);
  const std::string before = app.settings();
  std::string log;
  int result = -1;
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (result == -1 && std::chrono::steady_clock::now() < until) {
    ui.frame(app);
    result = app.self_test_step(log);
  }
  std::printf("%s", log.c_str());
  EXPECT_EQ(result, 0) << log;
  EXPECT_EQ(app.self_test_step(log), result) << "the verdict stays";
  EXPECT_EQ(app.settings(), before);
  EXPECT_NE(log.find("PASS network lab"), std::string::npos);
}

TEST(UiApp, WorkerThreadStopsCleanlyWhileTraining) {
  Headless ui;
  for (int i = 0; i < 3; ++i) {
    App app("panel=network&dataset=spiral&points=2000&batch=1&epochs=100000", TrainingMode::WorkerThread);
    ASSERT_TRUE(app.test_command("network.train"));
    ui.frames(app, 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }  // destroyed mid-epoch: the worker must stop and join
}

// The one-step view on the default network (the tutorial's XOR MLP at its initial
// weights): every stage is walked, the loss is the engine's own, PyTorch's recording
// agrees, the chain-rule sum is the gradient, and "Train on" hands the stepped weights
// back to the network lab; a changed model then has no PyTorch values.
TEST(UiOneStep, WalksEveryStageOfTheDefaultNetworkBesidePyTorch) {
  Headless ui;
  App app("panel=network", TrainingMode::PerFrameSlices);
  ui.frames(app, 2);
  ASSERT_TRUE(app.test_command("step.open=network"));
  ui.frames(app, 2);
  json s = state(app)["step"];
  EXPECT_EQ(state(app)["panel"], "step");
  ASSERT_TRUE(s["open"].get<bool>()) << s.dump();
  EXPECT_EQ(s["stage"], 0);
  EXPECT_EQ(s["stage_id"], "input");

  // The engine's own step of the same case.
  auto backend = nnplay::make_cpu_backend(1);
  auto c = nnplay::StepCase::make_xor(*backend);
  const nnplay::StepTrace t = c->run();
  EXPECT_FLOAT_EQ(s["loss"].get<float>(), t.loss_value);
  EXPECT_EQ(s["stage_count"].get<size_t>(), t.stages.size());

  EXPECT_TRUE(s["pytorch_compared"].get<bool>()) << s["no_comparison"];
  EXPECT_EQ(s["recording"], "xor");
  EXPECT_LE(s["max_rel"].get<double>(), 1e-5);

  // Forward through every stage (and back once), drawing each.
  const int count = s["stage_count"].get<int>();
  for (int i = 1; i < count; ++i) {
    ASSERT_TRUE(app.test_command("step.next"));
    ui.frames(app, 1);
    s = state(app)["step"];
    EXPECT_EQ(s["stage"], i);
    EXPECT_EQ(s["stage_id"], t.stages[size_t(i)].id);
    if (s["stage_id"] == "loss") EXPECT_FLOAT_EQ(s["tensors"][0]["values"][0].get<float>(), t.loss_value);
  }
  ASSERT_TRUE(app.test_command("step.next"));  // stays on the last
  EXPECT_EQ(state(app)["step"]["stage"], count - 1);
  ASSERT_TRUE(app.test_command("step.prev"));
  EXPECT_EQ(state(app)["step"]["stage"], count - 2);

  // The chain rule of a chosen weight: its terms sum to the engine's gradient.
  for (const char* w : {"0,3,1", "4,2,7", "6,0,9"}) {
    ASSERT_TRUE(app.test_command(std::string("step.pick=") + w)) << w;
    ui.frames(app, 1);
    json ch = state(app)["step"]["chain"];
    EXPECT_NEAR(ch["sum"].get<double>(), ch["gradient"].get<double>(), 1e-6 + 1e-5 * std::fabs(ch["gradient"].get<double>()))
        << w;
    double sum = 0;
    for (const json& p : ch["products"]) sum += p.get<double>();
    EXPECT_NEAR(sum, ch["sum"].get<double>(), 1e-9) << w;
    EXPECT_FLOAT_EQ(ch["new_weight"].get<float>(), ch["weight"].get<float>() - ch["lr_gradient"].get<float>()) << w;
  }
  EXPECT_FALSE(app.test_command("step.pick=1,0,0")) << "module 1 is a Sigmoid";
  EXPECT_FALSE(app.test_command("step.pick=0,10,0")) << "row out of range";

  // Train on: the network lab continues from the stepped weights.
  const std::string after = state(app)["step"]["params_after"];
  ASSERT_TRUE(app.test_command("step.train_on"));
  ui.frames(app, 2);
  EXPECT_EQ(state(app)["panel"], "network");
  EXPECT_TRUE(state(app)["step"]["trained_on"].get<bool>());
  ASSERT_TRUE(app.test_command("step.open=network"));
  s = state(app)["step"];
  EXPECT_EQ(s["params_before"], after) << "the next step starts from the stepped weights";
  EXPECT_FALSE(s["pytorch_compared"].get<bool>()) << "a changed model has no PyTorch values";
  EXPECT_NE(s["no_comparison"], "");
  EXPECT_LT(s["loss"].get<float>(), t.loss_value) << "one step downhill";
  ui.frames(app, 3);

  // Training continues from there.
  ASSERT_TRUE(app.test_command("step.train_on"));
  ASSERT_TRUE(app.test_command("network.step"));
  EXPECT_EQ(state(app)["network"]["epoch"], 1);
}

TEST(UiOneStep, AnotherRateIsADifferentStepAndPhonesDrawIt) {
  Headless ui(ImVec2(390, 844));
  App app("panel=step&lr=0.5&lang=ko", TrainingMode::PerFrameSlices);
  ui.frames(app, 3);
  json s = state(app)["step"];
  ASSERT_TRUE(s["open"].get<bool>()) << s.dump();
  EXPECT_FLOAT_EQ(s["lr"].get<float>(), 0.5f);
  EXPECT_FALSE(s["pytorch_compared"].get<bool>());
  const json l = state(app)["layout"];
  ASSERT_TRUE(l.contains("step.visual") && l.contains("step.train")) << l.dump();
  EXPECT_LE(l["step.visual"][0].get<float>() + l["step.visual"][2].get<float>(), 390.0f);
  for (int i = 0; i < 30; ++i) {
    app.test_command("step.next");
    ui.frames(app, 1);
  }
  EXPECT_NE(app.live_status().find("one step"), std::string::npos) << app.live_status();
}
