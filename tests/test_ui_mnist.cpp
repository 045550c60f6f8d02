// The MNIST panel, headless (a real ImGui context, App::frame() between NewFrame and
// Render), on real MNIST: the tab draws for many frames with the default model, whose
// recorded results are reproduced here; the tutorial's linear model trained for one epoch
// on 10,000 images scores above 85% on 2,000 test images in both training modes, with a
// confusion matrix that counts every test image; strokes drawn through the test command
// come out centred and 20 pixels tall and are classified as the digit drawn; weights
// round-trip through a file with their proof; fine-tuning teaches the model a drawing;
// the PNG of the pad decodes to the image the model sees; settings round-trip; the pad and
// the train button stay in view at 1280x800 and nothing overflows a phone, in both
// languages; and the self-test's MNIST check passes. Convolutional networks: the page's
// small CNN passes 0.95 after one epoch of 10,000 images, the shipped CNN reproduces its
// recorded results and reads drawn digits, and both report their filters and feature
// maps; layer lists round-trip through the settings. Prints the budget figures (epoch
// time, drawing-to-prediction latency).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "shell/app.h"
#include "imgui.h"
#include "shell/settings.h"
#include "test_util.h"
#include "ui_headless.h"

using nlohmann::json;
using nnplay::ui::App;
using nnplay::ui::TrainingMode;

namespace {

using nnplay::test::Headless;

json mnist(const App& app) { return json::parse(app.test_state_json())["mnist"]; }

std::string data_setting() { return "mdata=" + nnplay::ui::url_encode(nnplay::test::mnist_dir_or_fail()); }

// What the page's glue does at start (web/nnplay-glue.js): hand the app the MNIST data
// and the default model through the file system. The desktop app finds both itself, so
// there this does nothing; in the WebAssembly build of these tests it makes the app
// behave as in the page.
void as_the_page_would([[maybe_unused]] App& app) {
#ifdef __EMSCRIPTEN__
  ASSERT_TRUE(app.test_command("mnist.data_progress=0"));
  ASSERT_TRUE(app.test_command("mnist.data=" + nnplay::test::mnist_dir_or_fail()));
  ASSERT_TRUE(app.test_command("mnist.default_weights=" NNPLAY_SOURCE_DIR "/assets/models/mnist-linear.safetensors"));
#endif
}

bool data_ready(const App& app) {
  json m = mnist(app);
  return m["data"]["state"] == "ready" && m["train_count"].get<int64_t>() > 0;
}

// A finished run: paused, and its last evaluation taken after the last epoch.
bool run_finished(const App& app) {
  json m = mnist(app);
  return !m["running"].get<bool>() && !m["evaluating"].get<bool>() && m["epoch"] == m["max_epochs"] &&
         m["eval_at_epoch"].is_number() && m["eval_at_epoch"].get<double>() >= m["max_epochs"].get<double>();
}

// Strokes in pad units, as a hand would draw them (few points: the pad joins them).
const char* kOne = "[[[0.53,0.14],[0.52,0.3],[0.5,0.5],[0.49,0.7],[0.48,0.86]]]";
std::string zero_strokes() {
  std::string s = "[[";
  for (int i = 0; i <= 48; ++i) {
    const double a = 6.283185307 * i / 48.0;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s[%.4f,%.4f]", i ? "," : "", 0.5 + 0.22 * std::sin(a), 0.5 - 0.34 * std::cos(a));
    s += buf;
  }
  return s + "]]";
}

// Trains the tutorial's model for one epoch on 10,000 images, evaluated on 2,000.
void train_one_epoch(Headless& ui, App& app, double* seconds = nullptr) {
  ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); })) << mnist(app).dump();
  ASSERT_TRUE(app.test_command("mnist.reset"));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(app.test_command("mnist.train")) << mnist(app)["error"];
  ASSERT_TRUE(ui.frames_until(app, [&] { return run_finished(app); })) << mnist(app).dump();
  if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string temp_path(const char* name) {
  return std::string(::testing::TempDir()) + "nnplay-ui-mnist-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace

TEST(UiMnist, TabDrawsForManyFramesAndTheDefaultModelReproducesItsRecordedResults) {
  Headless ui;
  App app("panel=mnist&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(app.warnings().empty()) << app.warnings().front();
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  // The data arrives in the background; then the file's proof is checked on all 10,000
  // test images and the model is evaluated.
  ASSERT_TRUE(ui.frames_until(app, [&] {
    json p = mnist(app);
    return p["proof"]["checked"].get<bool>() && p["eval_count"].get<int64_t>() > 0 && !p["evaluating"].get<bool>();
  })) << mnist(app).dump();
  json m = mnist(app);
  EXPECT_NE(m["weights_loaded"].get<std::string>().find("assets/models/mnist-linear.safetensors"), std::string::npos)
      << m["weights_loaded"];
  EXPECT_EQ(m["layers"], "784-10");
  EXPECT_TRUE(m["proof"]["reproduced"].get<bool>()) << m["proof"]["summary"];
  EXPECT_EQ(m["proof"]["actual_correct"], 9236) << "assets/README.md: 9236 of 10,000";
  EXPECT_LE(m["proof"]["max_logit_diff"].get<double>(), 1e-4);
  EXPECT_EQ(m["eval_count"], 10000);
  EXPECT_NEAR(m["test_acc"].get<double>(), 0.9236, 1e-9);
  EXPECT_EQ(m["confusion_total"], 10000);
  EXPECT_EQ(m["data"]["train_loaded"], 60000);
  std::printf("[mnist] default model: %s\n", m["proof"]["summary"].get<std::string>().c_str());
  // The tutorial's random test sample is shown with its label and prediction.
  EXPECT_GE(m["sample"]["index"].get<int>(), 0);
  EXPECT_GE(m["sample"]["prediction"].get<int>(), 0);
  // Every view for many frames: pad, curves, ten weight images, confusion matrix with a
  // picked cell's thumbnails, the test browser.
  ASSERT_TRUE(app.test_command("mnist.confusion=4-9"));
  ASSERT_TRUE(app.test_command(std::string("mnist.draw=") + kOne));
  ui.frames(app, 120);
  EXPECT_GT(ui.vertices(), 7840 * 4) << "the ten 28x28 weight images alone are 7,840 cells";
  EXPECT_EQ(mnist(app)["pad"]["prediction"], 1);
  EXPECT_NE(app.live_status().find("MNIST 784-10"), std::string::npos) << app.live_status();
  EXPECT_NE(app.live_status().find("classified as 1"), std::string::npos) << app.live_status();
}

// Strokes drawn with the pointer on the pad: one stroke per press, joined segments, the
// default model reads the drawn 1; a press that starts off the pad never draws.
TEST(UiMnist, PointerStrokesOnThePadAreRecognised) {
  Headless ui;
  App app("panel=mnist", TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(ui.frames_until(app, [&] { return !mnist(app)["weights_loaded"].get<std::string>().empty(); }));
  ui.frames(app, 2);
  json rect = mnist(app)["pad"]["rect"];
  const float x0 = rect[0], y0 = rect[1], x1 = rect[2], y1 = rect[3];
  ASSERT_GT(x1 - x0, 100.0f);
  auto at = [&](float u, float v) { return ImVec2(x0 + u * (x1 - x0), y0 + v * (y1 - y0)); };
  // Off the pad: press to its left and drag across it.
  ui.frame_at(app, ImVec2(x0 - 40, (y0 + y1) / 2), false);
  ui.frame_at(app, ImVec2(x0 - 40, (y0 + y1) / 2), true);
  for (int i = 0; i <= 10; ++i) ui.frame_at(app, at(0.1f * float(i), 0.5f), true);
  ui.frame_at(app, at(1.0f, 0.5f), false);
  EXPECT_EQ(mnist(app)["pad"]["strokes"], 0) << "a drag that started elsewhere does not draw";
  // A "1": press at the top, move down in 20 frames, release.
  ui.frame_at(app, at(0.52f, 0.15f), false);
  for (int i = 0; i <= 20; ++i)
    ui.frame_at(app, at(0.52f - 0.04f * float(i) / 20.0f, 0.15f + 0.7f * float(i) / 20.0f), true);
  ui.frame_at(app, at(0.48f, 0.85f), false);
  json pad = mnist(app)["pad"];
  EXPECT_EQ(pad["strokes"], 1);
  EXPECT_GE(pad["points"].get<int>(), 20);
  EXPECT_EQ(pad["prediction"], 1) << pad["probabilities"];
  // A second press starts a second stroke.
  ui.frame_at(app, at(0.3f, 0.2f), true);
  ui.frame_at(app, at(0.35f, 0.2f), true);
  ui.frame_at(app, at(0.35f, 0.2f), false);
  EXPECT_EQ(mnist(app)["pad"]["strokes"], 2);
}

TEST(UiMnist, EverySectionDrawsOnAPhoneSizedViewport) {
  Headless ui(ImVec2(390, 844));
  App app("panel=mnist&mlayers=784-32-10&mtrain=2000&mtest=500&mepochs=2&" + data_setting(),
          TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); }));
  ASSERT_TRUE(app.test_command("mnist.train"));
  ASSERT_TRUE(app.test_command("mnist.confusion=3-5"));
  ASSERT_TRUE(app.test_command(std::string("mnist.draw=") + kOne));
  ASSERT_TRUE(app.test_command("mnist.personal_add=1"));
  ASSERT_TRUE(ui.frames_until(app, [&] { return run_finished(app); }));
  ui.frames(app, 30);
  json m = mnist(app);
  EXPECT_EQ(m["epoch"], 2);
  EXPECT_EQ(m["personal"]["labels"], json({1}));
  EXPECT_GT(ui.vertices(), 10000);
}

// The layout, in both languages. At 1280x800 the pad (the panel's main visual) and the
// train button lie inside the window and the pad takes at least 40% of its height; the pad's
// rectangle in the state report is the one the browser tests draw in. On a phone nothing
// reaches past the width and the pad is on the first screen, above the fold.
TEST(UiMnist, LayoutKeepsThePadInViewAndFitsAPhone) {
  for (const char* lang : {"en", "ko"}) {
    for (const ImVec2 size : {ImVec2(1280, 800), ImVec2(390, 844)}) {
      Headless ui(size);
      App app(std::string("panel=mnist&lang=") + lang + "&" + data_setting(), TrainingMode::PerFrameSlices);
      as_the_page_would(app);
      ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); }));
      ASSERT_TRUE(app.test_command(std::string("mnist.draw=") + kOne));
      ui.frames(app, 5);
      const json all = json::parse(app.test_state_json());
      const json l = all["layout"];
      const std::string what = std::string(lang) + " " + std::to_string(int(size.x)) + "x" + std::to_string(int(size.y));
      ASSERT_TRUE(l.contains("mnist.visual") && l.contains("mnist.train")) << what << ": " << l.dump();
      const std::vector<float> pad = l["mnist.visual"], train = l["mnist.train"], rect = all["mnist"]["pad"]["rect"];
      EXPECT_FLOAT_EQ(rect[0], pad[0]) << what;
      EXPECT_FLOAT_EQ(rect[1], pad[1]) << what;
      EXPECT_FLOAT_EQ(rect[2], pad[0] + pad[2]) << what;
      EXPECT_FLOAT_EQ(rect[3], pad[1] + pad[3]) << what;
      for (const std::vector<float>& r : {pad, train}) {
        EXPECT_GE(r[0], 0.0f) << what;
        EXPECT_GE(r[1], 0.0f) << what;
        EXPECT_LE(r[0] + r[2], size.x) << what;
        EXPECT_LE(r[1] + r[3], size.y) << what;
      }
      if (size.x >= 1000) {
        EXPECT_GE(pad[3], 0.4f * size.y) << what << ": the pad is " << pad[3] << " px high";
      } else {
        EXPECT_LE(l["overflow_x"].get<float>(), 1.0f) << what;
        EXPECT_GE(pad[2], 0.9f * (size.x - 16)) << what << ": on a phone the pad takes the width";
      }
      EXPECT_EQ(mnist(app)["pad"]["prediction"], 1) << what;
    }
  }
}

class UiMnistModes : public ::testing::TestWithParam<TrainingMode> {};

// The tutorial's model and SGD (lr 0.1), one epoch on 10,000 images, in batches of 20:
// 500 steps. (With the tutorial's batches of 100 one epoch is 100 steps, after which
// PyTorch too scores only 0.82-0.84 on these 2,000 images; see the next test.)
TEST_P(UiMnistModes, OneEpochOnTenThousandImagesScoresAboveEightyFivePercent) {
  Headless ui;
  App app("panel=mnist&mtrain=10000&mtest=2000&mepochs=1&mbatch=20&" + data_setting(), GetParam());
  as_the_page_would(app);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  double seconds = 0;
  train_one_epoch(ui, app, &seconds);
  json m = mnist(app);
  EXPECT_EQ(m["layers"], "784-10");
  EXPECT_EQ(m["optimizer"], "sgd");
  EXPECT_FLOAT_EQ(m["lr"].get<float>(), 0.1f);
  EXPECT_EQ(m["batch"], 20);
  EXPECT_EQ(m["train_count"], 10000);
  EXPECT_EQ(m["images_trained"], 10000);
  EXPECT_EQ(m["epoch"], 1);
  EXPECT_EQ(m["epoch_costs"].size(), 1u);
  EXPECT_GT(m["loss_points"].get<int>(), 10) << "a live loss curve, not one point per epoch";
  EXPECT_EQ(m["eval_count"], 2000);
  EXPECT_GT(m["test_acc"].get<double>(), 0.85);
  // The confusion matrix counts every test image once; its diagonal is the accuracy.
  int64_t total = 0, diagonal = 0;
  for (int t = 0; t < 10; ++t)
    for (int p = 0; p < 10; ++p) {
      total += m["confusion"][t][p].get<int64_t>();
      if (t == p) diagonal += m["confusion"][t][p].get<int64_t>();
    }
  EXPECT_EQ(total, 2000);
  EXPECT_EQ(m["confusion_total"], 2000);
  EXPECT_NEAR(double(diagonal) / 2000.0, m["test_acc"].get<double>(), 1e-12);
  EXPECT_EQ(m["misclassified"].get<int64_t>(), 2000 - diagonal);
  std::printf(
      "[mnist] %s: one epoch on 10,000 images + evaluation of 2,000 in %.3f s (cost %.4f), test accuracy %.4f\n",
      GetParam() == TrainingMode::WorkerThread ? "worker thread" : "per-frame slices", seconds,
      m["epoch_costs"][0].get<double>(), m["test_acc"].get<double>());
  ui.frames(app, 30);
}

INSTANTIATE_TEST_SUITE_P(Modes, UiMnistModes,
                         ::testing::Values(TrainingMode::PerFrameSlices, TrainingMode::WorkerThread),
                         [](const ::testing::TestParamInfo<TrainingMode>& p) {
                           return p.param == TrainingMode::PerFrameSlices ? "Slices" : "Worker";
                         });

// The panel's run is the command-line trainer's: same seed streams, same batches, same
// kernels, so the same model.
TEST(UiMnist, TutorialSettingsGiveTheCommandLineTrainersModel) {
  Headless ui;
  App app("panel=mnist&mtrain=10000&mtest=2000&mepochs=1&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  double seconds = 0;
  train_one_epoch(ui, app, &seconds);
  json m = mnist(app);
  EXPECT_EQ(m["batch"], 100);
  EXPECT_EQ(m["steps_per_epoch"], 100);
  // nnplay-train mnist --data data/mnist --train-limit 10000 --epochs 1 prints
  // "Epoch: 0001 cost = 0.950073334" and "Accuracy: 0.8654" (on all 10,000 test images).
  EXPECT_NEAR(m["epoch_costs"][0].get<double>(), 0.950073334, 1e-8);
  const double first_2000 = m["test_acc"].get<double>();
  EXPECT_GT(first_2000, 0.81) << "PyTorch, same settings, five seeds: 0.817-0.835 on these images";
  ASSERT_TRUE(app.test_command("mtest=0"));  // every test image, same weights
  ASSERT_TRUE(ui.frames_until(app, [&] {
    json e = mnist(app);
    return e["eval_count"] == 10000 && !e["evaluating"].get<bool>();
  }));
  m = mnist(app);
  EXPECT_EQ(m["epoch"], 0) << "rebuilt from the trained weights";
  EXPECT_NE(m["origin"].get<std::string>().find("trained so far"), std::string::npos) << m["origin"];
  EXPECT_NEAR(m["test_acc"].get<double>(), 0.8654, 1e-9) << "the command-line trainer's accuracy";
  std::printf("[mnist] tutorial settings, 1 epoch on 10,000 (with evaluating 2,000) in %.3f s: %.4f on the first "
              "2,000 test images, %.4f on all\n", seconds, first_2000, m["test_acc"].get<double>());
}

TEST(UiMnist, DrawnOneAndZeroAreCentredScaledAndRecognised) {
  Headless ui;
  App app("panel=mnist&mtrain=10000&mtest=2000&mepochs=1&mbatch=20&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  train_one_epoch(ui, app);
  for (const auto& [digit, strokes] : {std::pair<int, std::string>{1, kOne}, {0, zero_strokes()}}) {
    ASSERT_TRUE(app.test_command("mnist.draw=" + strokes)) << digit;
    ui.frames(app, 3);
    json pad = mnist(app)["pad"];
    // The box's longer side (the height, for both) becomes 20 pixels, placed by its mass.
    const int rows = pad["rows"][1].get<int>() - pad["rows"][0].get<int>() + 1;
    EXPECT_GE(rows, 20) << digit;
    EXPECT_LE(rows, 21) << digit;
    EXPECT_NEAR(pad["mass"][0].get<double>(), 14.0, 0.5) << digit;
    EXPECT_NEAR(pad["mass"][1].get<double>(), 14.0, 0.5) << digit;
    const int cols = pad["cols"][1].get<int>() - pad["cols"][0].get<int>() + 1;
    if (digit == 1) {
      EXPECT_LE(cols, 6) << "a narrow bar";
    } else {
      EXPECT_GE(cols, 12) << "a wide ring";
      EXPECT_EQ(pad["image"][14 * 28 + 14].get<double>(), 0.0) << "with a hole in the middle";
    }
    EXPECT_EQ(pad["prediction"], digit) << pad["probabilities"];
    EXPECT_EQ(pad["top3"][0], digit);
    std::printf("[mnist] drawn %d: p = %.3f, drawing to prediction %.3f ms (preprocess %.3f ms)\n", digit,
                pad["probabilities"][digit].get<double>(), pad["latency_ms"].get<double>(),
                pad["preprocess_ms"].get<double>());
    EXPECT_LT(pad["latency_ms"].get<double>(), 50.0);
  }
  // Clearing empties the pad; a random test digit replaces it.
  ASSERT_TRUE(app.test_command("mnist.clear"));
  EXPECT_EQ(mnist(app)["pad"]["ink"], 0.0);
  EXPECT_EQ(mnist(app)["pad"]["prediction"], -1);
  ASSERT_TRUE(app.test_command("mnist.random_digit"));
  json pad = mnist(app)["pad"];
  EXPECT_GE(pad["test_index"].get<int>(), 0);
  EXPECT_GT(pad["ink"].get<double>(), 10.0);
  EXPECT_FALSE(app.test_command("mnist.draw=[[0.5,0.5]]")) << "a point outside a stroke list";
  EXPECT_FALSE(app.test_command("mnist.draw=nonsense"));
}

TEST(UiMnist, WeightsRoundTripThroughAFileWithTheirProof) {
  Headless ui;
  App app("panel=mnist&mtrain=10000&mtest=2000&mepochs=1&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  train_one_epoch(ui, app);
  const double trained_acc = mnist(app)["test_acc"].get<double>();
  const std::string path = temp_path("model.safetensors");
  ASSERT_TRUE(app.test_command("mnist.save_weights=" + path)) << mnist(app)["error"];
  ASSERT_TRUE(app.test_command("mnist.reset"));  // different weights in between
  ui.frames(app, 5);
  ASSERT_TRUE(app.test_command("mnist.load_weights=" + path)) << mnist(app)["error"];
  ASSERT_TRUE(ui.frames_until(app, [&] {
    json m = mnist(app);
    return m["proof"]["checked"].get<bool>() && !m["evaluating"].get<bool>() && m["eval_count"].get<int>() > 0;
  }));
  json m = mnist(app);
  EXPECT_EQ(m["origin"], path);
  EXPECT_TRUE(m["proof"]["recorded"].get<bool>());
  EXPECT_TRUE(m["proof"]["reproduced"].get<bool>()) << m["proof"]["summary"];
  EXPECT_EQ(m["proof"]["actual_count"], 10000) << "the proof covers every test image loaded";
  EXPECT_DOUBLE_EQ(m["test_acc"].get<double>(), trained_acc) << "the same weights score the same";
  // A file that is not a model is refused with a message, and the model stays.
  const std::string bad = temp_path("bad.safetensors");
  std::ofstream(bad) << "not a safetensors file";
  EXPECT_FALSE(app.test_command("mnist.load_weights=" + bad));
  m = mnist(app);
  EXPECT_NE(m["error"].get<std::string>().find(bad), std::string::npos) << m["error"];
  EXPECT_EQ(m["origin"], path);
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

TEST(UiMnist, FineTuningTeachesTheModelADrawing) {
  Headless ui;
  App app("panel=mnist&mtrain=10000&mtest=2000&mepochs=1&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  train_one_epoch(ui, app);
  const double before_acc = mnist(app)["test_acc"].get<double>();
  // A plus sign is no digit: the model calls it something, and is taught it is a 4.
  ASSERT_TRUE(app.test_command("mnist.draw=[[[0.5,0.2],[0.5,0.8]],[[0.2,0.5],[0.8,0.5]]]"));
  const int first = mnist(app)["pad"]["prediction"].get<int>();
  const int label = first == 4 ? 7 : 4;
  ASSERT_TRUE(app.test_command("mnist.personal_add=" + std::to_string(label)));
  EXPECT_EQ(mnist(app)["personal"]["count"], 1);
  ASSERT_TRUE(app.test_command("mnist.finetune=40"));
  ASSERT_TRUE(ui.frames_until(app, [&] {
    json m = mnist(app);
    return m["finetune"]["left"] == 0 && !m["evaluating"].get<bool>();
  }));
  json m = mnist(app);
  EXPECT_EQ(m["finetune"]["done"], 40);
  EXPECT_EQ(m["pad"]["prediction"], label) << "was " << first << ": " << m["pad"]["probabilities"];
  EXPECT_GT(m["test_acc"].get<double>(), before_acc - 0.05) << "without forgetting the rest";
  std::printf("[mnist] fine-tuning: plus sign %d -> %d, test accuracy %.4f -> %.4f\n", first, label, before_acc,
              m["test_acc"].get<double>());
  EXPECT_FALSE(app.test_command("mnist.personal_add=10"));
  ASSERT_TRUE(app.test_command("mnist.personal_clear"));
  EXPECT_FALSE(app.test_command("mnist.finetune=5")) << "nothing to fine-tune on";
  ui.frames(app, 10);
}

TEST(UiMnist, MlpTrainsAndShowsItsStrongestUnits) {
  Headless ui;
  App app("panel=mnist&mlayers=784-64-10&mopt=adam&mlr=0.003&mbatch=64&mtrain=10000&mtest=2000&mepochs=1&" +
              data_setting(),
          TrainingMode::WorkerThread);
  as_the_page_would(app);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  train_one_epoch(ui, app);
  json m = mnist(app);
  EXPECT_EQ(m["layers"], "784-64-10");
  EXPECT_EQ(m["activation"], "relu");
  // PyTorch, same model and settings, four seeds: 0.8735-0.8845 on these 2,000 images.
  EXPECT_GT(m["test_acc"].get<double>(), 0.86);
  std::printf("[mnist] 784-64-10 relu, adam, 1 epoch on 10,000: test accuracy %.4f\n", m["test_acc"].get<double>());
  ui.frames(app, 10);
  EXPECT_GT(ui.vertices(), 16 * 784 * 4) << "sixteen first-layer units drawn as 28x28 images";
}

TEST(UiMnist, TestBrowserAndPngOfWhatTheModelSees) {
  Headless ui;
  App app("panel=mnist&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); }));
  ASSERT_TRUE(app.test_command("mnist.sample=0"));
  json s = mnist(app)["sample"];
  EXPECT_EQ(s["index"], 0);
  EXPECT_EQ(s["label"], 7) << "MNIST's first test image is a 7";
  EXPECT_EQ(s["prediction"], 7);
  ASSERT_TRUE(app.test_command("mnist.sample_prev"));
  EXPECT_EQ(mnist(app)["sample"]["index"], 9999) << "wraps around";
  ASSERT_TRUE(app.test_command("mnist.sample_next"));
  ASSERT_TRUE(app.test_command("mnist.sample_next"));
  EXPECT_EQ(mnist(app)["sample"]["index"], 1);
  EXPECT_EQ(mnist(app)["sample"]["label"], 2);
  EXPECT_FALSE(app.test_command("mnist.sample=10000"));

  ASSERT_TRUE(app.test_command(std::string("mnist.draw=") + kOne));
  const std::string path = temp_path("digit.png");
  ASSERT_TRUE(app.test_command("mnist.save_png=" + path)) << mnist(app)["error"];
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(png.size(), 57u);
  EXPECT_EQ(std::vector<uint8_t>(png.begin(), png.begin() + 8),
            (std::vector<uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}));
  EXPECT_EQ(std::string(png.begin() + 12, png.begin() + 16), "IHDR");
  EXPECT_EQ(png[19], 28);  // width (big-endian)
  EXPECT_EQ(png[23], 28);  // height
  EXPECT_EQ(png[24], 8);   // bit depth
  EXPECT_EQ(png[25], 0);   // greyscale
  // The IDAT inflates to 28 rows of (filter byte + 28 filtered pixels) that decode to the pad's image.
  const uint32_t idat_len = uint32_t(png[33]) << 24 | uint32_t(png[34]) << 16 | uint32_t(png[35]) << 8 | png[36];
  ASSERT_EQ(std::string(png.begin() + 37, png.begin() + 41), "IDAT");
  std::vector<uint8_t> raw(28 * 29);
  uLongf raw_size = raw.size();
  ASSERT_EQ(uncompress(raw.data(), &raw_size, png.data() + 41, idat_len), Z_OK);
  ASSERT_EQ(raw_size, uLongf(28 * 29));
  // Undo each row's filter (PNG's five: none, sub, up, average, Paeth; one byte per pixel).
  std::vector<uint8_t> px(28 * 28, 0);
  for (int r = 0; r < 28; ++r) {
    const int filter = raw[size_t(r) * 29];
    ASSERT_LE(filter, 4) << "filter byte of row " << r;
    for (int c = 0; c < 28; ++c) {
      const int a = c > 0 ? px[size_t(r * 28 + c - 1)] : 0, b = r > 0 ? px[size_t((r - 1) * 28 + c)] : 0;
      const int d = r > 0 && c > 0 ? px[size_t((r - 1) * 28 + c - 1)] : 0;
      const int p = a + b - d, pa = std::abs(p - a), pb = std::abs(p - b), pd = std::abs(p - d);
      const int predictor[5] = {0, a, b, (a + b) / 2, pa <= pb && pa <= pd ? a : pb <= pd ? b : d};
      px[size_t(r * 28 + c)] = uint8_t(raw[size_t(r) * 29 + 1 + size_t(c)] + predictor[filter]);
    }
  }
  json image = mnist(app)["pad"]["image"];
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c)
      ASSERT_EQ(int(px[size_t(r * 28 + c)]), int(std::lround(image[r * 28 + c].get<double>() * 255))) << r << "," << c;
  std::remove(path.c_str());
}

// The page's data: scripts/pack-mnist-subset.sh packs gzipped IDX files at build time, the
// page's glue reports its download's progress and then hands over the folder.
TEST(UiMnist, PackedSubsetForThePageLoadsWithProgress) {
  Headless ui;
  const std::string out = temp_path("subset");
  const std::string cmd = "bash '" NNPLAY_SOURCE_DIR "/scripts/pack-mnist-subset.sh' --train 2000 --test 1000 '" +
                          nnplay::test::mnist_dir_or_fail() + "' '" + out + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  App app("panel=mnist&mlayers=784-32-10", TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.test_command("mnist.data_progress=0.25"));
  json d = mnist(app)["data"];
  EXPECT_EQ(d["state"], "loading");
  EXPECT_DOUBLE_EQ(d["progress"].get<double>(), 0.25);
  ui.frames(app, 3);  // the progress bar is drawn
  ASSERT_TRUE(app.test_command("mnist.data=" + out));
  ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); })) << mnist(app).dump();
  json m = mnist(app);
  EXPECT_EQ(m["data"]["train_loaded"], 2000);
  EXPECT_EQ(m["data"]["test_loaded"], 1000);
  EXPECT_EQ(m["data"]["source"], out);
  EXPECT_EQ(m["origin"], "new model, seed 777") << "an MLP is not the default model's architecture";
  ASSERT_TRUE(app.test_command("mnist.data_error=the download failed (404)"));
  EXPECT_EQ(mnist(app)["data"]["state"], "failed");
  EXPECT_EQ(mnist(app)["data"]["error"], "the download failed (404)");
  ui.frames(app, 3);
  for (const char* f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                        "t10k-labels-idx1-ubyte.gz"})
    std::remove((out + "/" + f).c_str());
  ::rmdir(out.c_str());
}

TEST(UiMnist, SettingsRoundTripAndBadValuesWarn) {
  const std::string given =
      "panel=mnist&mlayers=784-128-64-10&mact=tanh&mopt=adam&mlr=0.003&mbatch=32&mepochs=3&mseed=5&mtrain=2000"
      "&mtest=500&mdevice=auto&mdata=%2Ftmp%2Fsome%20dir&weights=my.safetensors";
  App a(given, TrainingMode::PerFrameSlices);
  EXPECT_TRUE(a.warnings().empty()) << a.warnings().front();
  App b(a.settings(), TrainingMode::PerFrameSlices);
  EXPECT_EQ(b.settings(), a.settings());
  for (const char* key : {"mlayers=784-128-64-10", "mact=tanh", "mopt=adam", "mlr=0.003", "mbatch=32", "mepochs=3",
                          "mseed=5", "mtrain=2000", "mtest=500", "mdevice=auto", "mdata=%2Ftmp%2Fsome%20dir",
                          "weights=my.safetensors"})
    EXPECT_NE(a.settings().find(key), std::string::npos) << key << " missing from " << a.settings();
  App c("mlayers=784-10-9&mact=step&mlr=0&mbatch=0&mdevice=tpu&panel=mnist", TrainingMode::PerFrameSlices);
  ASSERT_EQ(c.warnings().size(), 5u);
  EXPECT_EQ(json::parse(c.test_state_json())["panel"], "mnist");
  EXPECT_FALSE(c.test_command("mnist.no_such_thing"));
  EXPECT_FALSE(c.test_command("mnist.confusion=12"));
  EXPECT_FALSE(c.test_command("mlr=-1"));
}

TEST(UiMnist, SelfTestCoversThePanel) {
  Headless ui;
  App app("panel=mnist&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  std::string log;
  int result = -1;
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (result == -1 && std::chrono::steady_clock::now() < until) {
    ui.frame(app);
    result = app.self_test_step(log);
  }
  std::printf("%s", log.c_str());
  EXPECT_EQ(result, 0) << log;
  EXPECT_NE(log.find("PASS MNIST"), std::string::npos) << log;
  // The self-test put the default model back.
  EXPECT_NE(mnist(app)["origin"].get<std::string>().find("mnist-linear.safetensors"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Convolutional networks in the panel.

namespace {

// The trained CNN, as the panel's button loads it: the desktop reads assets/models; the
// page's glue fetches the site's copy and hands it over with mnist.load_weights=.
void load_trained_cnn(App& app) {
  ASSERT_TRUE(app.test_command("mnist.load_cnn")) << mnist(app)["error"];
#ifdef __EMSCRIPTEN__
  ASSERT_TRUE(app.test_command("mnist.load_weights=" NNPLAY_SOURCE_DIR "/assets/models/mnist-cnn.safetensors"));
#endif
}

std::vector<int> map_shape(const json& m, size_t i) { return m["cnn"]["feature_maps"][i]["shape"]; }

}  // namespace

// The page's small CNN, with the rate the model combo gives it (Adam 0.005, batch 32): one
// epoch of the page's 10,000 training images lifts the accuracy on all 10,000 test images
// past 0.95 (0.9672 with seed 777, as `nnplay-train mnist --layers ... --lr 0.005
// --train-limit 10000 --epochs 1` gives), and the filters and feature maps are reported.
TEST(UiMnist, SmallCnnTrainsOneEpochOnTheSubsetPastNinetyFivePercent) {
  Headless ui(ImVec2(390, 844));
  App app("panel=mnist&mlayers=conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10&mopt=adam&mlr=0.005&mbatch=32&"
          "mtrain=10000&mepochs=1&" + data_setting(),
          TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.warnings().empty()) << app.warnings().front();
  as_the_page_would(app);
  ASSERT_TRUE(app.test_command("ui.expand_all"));
  double seconds = 0;
  train_one_epoch(ui, app, &seconds);
  json m = mnist(app);
  EXPECT_EQ(m["layers"], "conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10");
  EXPECT_EQ(m["eval_count"], 10000);
  EXPECT_GT(m["test_acc"].get<double>(), 0.95);
  ASSERT_EQ(m["epoch_seconds"].size(), 1u);
  std::printf("[mnist] small CNN, 1 epoch on 10,000 in %.3f s (training alone %.3f s): test accuracy %.4f\n", seconds,
              m["epoch_seconds"][0].get<double>(), m["test_acc"].get<double>());
  ASSERT_TRUE(app.test_command(std::string("mnist.draw=") + kOne));
  ui.frames(app, 10);
  m = mnist(app);
  EXPECT_EQ(m["cnn"]["filters"], 8);
  EXPECT_EQ(m["cnn"]["filter_shape"], json({8, 1, 5, 5}));
  ASSERT_EQ(m["cnn"]["feature_maps"].size(), 2u);
  EXPECT_EQ(map_shape(m, 0), (std::vector<int>{8, 24, 24}));
  EXPECT_EQ(map_shape(m, 1), (std::vector<int>{16, 10, 10}));
  // The maps follow the drawing.
  const double one_sum = m["cnn"]["feature_maps"][0]["sum"].get<double>();
  ASSERT_TRUE(app.test_command("mnist.draw=" + zero_strokes()));
  ui.frames(app, 3);
  EXPECT_NE(mnist(app)["cnn"]["feature_maps"][0]["sum"].get<double>(), one_sum);
  // Filters and 24 maps of the first layer: hundreds of rectangles, inside a phone's width.
  EXPECT_GT(ui.vertices(), 8 * 25 * 4);
  EXPECT_LE(json::parse(app.test_state_json())["layout"]["overflow_x"].get<float>(), 1.0f);
}

// The shipped CNN (assets/models/mnist-cnn.safetensors, assets/README.md): it loads,
// reproduces its recorded results on the 10,000 test images, and reads drawn digits.
TEST(UiMnist, TrainedCnnReproducesItsProofAndReadsDrawnDigits) {
  for (const ImVec2 size : {ImVec2(1280, 800), ImVec2(390, 844)}) {
    Headless ui(size);
    App app("panel=mnist&" + data_setting(), TrainingMode::PerFrameSlices);
    as_the_page_would(app);
    ASSERT_TRUE(app.test_command("ui.expand_all"));
    ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); }));
    load_trained_cnn(app);
    ASSERT_TRUE(ui.frames_until(app, [&] {
      json p = mnist(app);
      return p["proof"]["checked"].get<bool>() && !p["evaluating"].get<bool>() && p["eval_count"].get<int64_t>() > 0;
    })) << mnist(app).dump();
    json m = mnist(app);
    EXPECT_NE(m["weights_loaded"].get<std::string>().find("mnist-cnn.safetensors"), std::string::npos);
    EXPECT_EQ(m["layers"], "conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10");
    // Training on from it would use the CNN recipe's optimizer, not the linear model's SGD.
    EXPECT_EQ(m["optimizer"], "adam");
    EXPECT_EQ(m["batch"], 32);
    EXPECT_TRUE(m["proof"]["reproduced"].get<bool>()) << m["proof"]["summary"];
    EXPECT_EQ(m["proof"]["actual_correct"], 9909) << "assets/README.md: 9909 of 10,000";
    EXPECT_GE(m["test_acc"].get<double>(), 0.99);
    std::printf("[mnist] trained CNN: %s\n", m["proof"]["summary"].get<std::string>().c_str());
    for (const auto& [digit, strokes] : {std::pair<int, std::string>{1, kOne}, {0, zero_strokes()}}) {
      ASSERT_TRUE(app.test_command("mnist.draw=" + strokes));
      ui.frames(app, 5);
      m = mnist(app);
      EXPECT_EQ(m["pad"]["prediction"], digit) << m["pad"]["probabilities"];
      EXPECT_EQ(m["cnn"]["filters"], 24);
      ASSERT_EQ(m["cnn"]["feature_maps"].size(), 2u);
      EXPECT_EQ(map_shape(m, 0), (std::vector<int>{24, 24, 24}));
      EXPECT_EQ(map_shape(m, 1), (std::vector<int>{32, 10, 10}));
      EXPECT_GT(m["cnn"]["feature_maps"][1]["sum"].get<double>(), 0.0);
    }
    if (size.x < 1000) EXPECT_LE(json::parse(app.test_state_json())["layout"]["overflow_x"].get<float>(), 1.0f);
    // A linear model again: no filters to show.
    ASSERT_TRUE(app.test_command("mlayers=784-10"));
    ui.frames(app, 3);
    EXPECT_EQ(mnist(app)["cnn"]["filters"], 0);
    EXPECT_EQ(mnist(app)["cnn"]["feature_maps"].size(), 0u);
  }
}

#ifndef __EMSCRIPTEN__
// On the desktop, settings that ask for the CNN recipe start from the trained CNN, as the
// tutorial's settings start from the linear model.
TEST(UiMnist, CnnRecipeSettingsStartFromTheTrainedCnn) {
  Headless ui;
  App app("panel=mnist&mlayers=cnn&" + data_setting(), TrainingMode::PerFrameSlices);
  ASSERT_TRUE(app.warnings().empty()) << app.warnings().front();
  ui.frames(app, 2);
  json m = mnist(app);
  EXPECT_NE(m["weights_loaded"].get<std::string>().find("mnist-cnn.safetensors"), std::string::npos) << m.dump();
  EXPECT_NE(app.settings().find("mlayers=conv5x5x24,pool2,"), std::string::npos) << app.settings();
}
#endif

// mlayers takes a layer list too, round-trips it in its canonical form, and refuses lists
// that are not digit classifiers.
TEST(UiMnist, LayerListSettingsRoundTripAndBadListsWarn) {
  App a("panel=mnist&mlayers=conv5x5x8%2Cpool2%2Cfc10", TrainingMode::PerFrameSlices);
  EXPECT_TRUE(a.warnings().empty()) << a.warnings().front();
  App b(a.settings(), TrainingMode::PerFrameSlices);
  EXPECT_EQ(b.settings(), a.settings());
  EXPECT_NE(a.settings().find("mlayers=conv5x5x8,pool2,fc10&"), std::string::npos) << a.settings();
  for (const char* bad : {"mlayers=conv5x5x8%2Cpool2%2Cfc7", "mlayers=conv40x40x8%2Cfc10", "mlayers=convolution",
                          "mlayers=conv3x3x512%2Cconv3x3x512%2Cfc10"}) {
    App c(std::string("panel=mnist&") + bad, TrainingMode::PerFrameSlices);
    EXPECT_EQ(c.warnings().size(), 1u) << bad;
  }
  // Back to widths: the layer list is dropped.
  App d("panel=mnist&mlayers=conv5x5x8%2Cpool2%2Cfc10&mlayers=784-32-10", TrainingMode::PerFrameSlices);
  EXPECT_NE(d.settings().find("mlayers=784-32-10"), std::string::npos) << d.settings();
}

// The one-step view on the MNIST panel's model, from the panel's own button: a fresh
// tutorial model (seed 777) on the full training set is the step PyTorch recorded, so
// every quantity is compared; the view walks every stage; "Train on" hands the stepped
// weights back to the panel, whose next run starts from them.
TEST(UiMnist, OneStepOfTheTutorialModelMatchesPyTorchAndTrainsOn) {
  Headless ui;
  App app("panel=mnist&" + data_setting(), TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); })) << mnist(app).dump();
  ASSERT_TRUE(app.test_command("mnist.reset"));  // fresh weights from the seed, as recorded
  ui.frames(app, 2);
  const json layout = json::parse(app.test_state_json())["layout"];
  ASSERT_TRUE(layout.contains("mnist.onestep")) << "the panel's One step button was drawn: " << layout.dump();
  const auto& b = layout["mnist.onestep"];
  // A click on the button, as a user would (the Headless driver presses at a point).
  ui.click(app, ImVec2(b[0].get<float>() + b[2].get<float>() / 2, b[1].get<float>() + b[3].get<float>() / 2));
  ui.frames(app, 2);
  json all = json::parse(app.test_state_json());
  json s = all["step"];
  ASSERT_TRUE(s["open"].get<bool>()) << s.dump();
  EXPECT_EQ(all["panel"], "step");
  EXPECT_EQ(s["source"], "mnist");
  EXPECT_EQ(s["model"], "784-10");
  EXPECT_EQ(s["batch"], 100);
  EXPECT_TRUE(std::isfinite(s["loss"].get<double>()));
  EXPECT_TRUE(s["pytorch_compared"].get<bool>()) << s["no_comparison"];
  EXPECT_EQ(s["recording"], "linear");
  EXPECT_LE(s["max_rel"].get<double>(), 1e-5);
  EXPECT_GT(s["quantities"].get<int>(), 5);

  // Every stage draws; the loss stage shows the loss.
  const int count = s["stage_count"].get<int>();
  for (int i = 1; i < count; ++i) {
    ASSERT_TRUE(app.test_command("step.next"));
    ui.frames(app, 1);
    s = json::parse(app.test_state_json())["step"];
    if (s["stage_id"] == "loss") EXPECT_FLOAT_EQ(s["tensors"][0]["values"][0].get<float>(), s["loss"].get<float>());
  }
  EXPECT_EQ(s["stage"], count - 1);
  ASSERT_TRUE(app.test_command("step.pick=0,3,400"));  // a pixel's weight of digit 3
  s = json::parse(app.test_state_json())["step"];
  EXPECT_EQ(s["chain"]["row"], 3);
  EXPECT_EQ(s["chain"]["col"], 400);
  EXPECT_FLOAT_EQ(s["chain"]["new_weight"].get<float>(),
                  s["chain"]["weight"].get<float>() - s["chain"]["lr_gradient"].get<float>());

  ASSERT_TRUE(app.test_command("step.train_on"));
  ui.frames(app, 2);
  all = json::parse(app.test_state_json());
  EXPECT_EQ(all["panel"], "mnist");
  EXPECT_NE(all["mnist"]["origin"].get<std::string>().find("one traced step"), std::string::npos) << all["mnist"]["origin"];
  // The next step starts where this one ended, so it is no longer PyTorch's recorded case.
  ASSERT_TRUE(app.test_command("step.open=mnist"));
  s = json::parse(app.test_state_json())["step"];
  EXPECT_FALSE(s["pytorch_compared"].get<bool>());
  EXPECT_NE(s["no_comparison"], "");
}

// The one-step view on a CNN: the step is traced through the convolutions and pooling,
// the first convolution's filters are drawn with their gradients, and there is no
// PyTorch recording of it, which the view says.
TEST(UiMnist, OneStepOfASmallCnnWalksEveryStage) {
  Headless ui;
  App app("panel=mnist&mlayers=conv5x5x8%2Cpool2%2Cconv3x3x16%2Cpool2%2Cfc64%2Cfc10&mopt=adam&mlr=0.005&mbatch=32&" +
              data_setting(),
          TrainingMode::PerFrameSlices);
  as_the_page_would(app);
  ASSERT_TRUE(ui.frames_until(app, [&] { return data_ready(app); })) << mnist(app).dump();
  ASSERT_TRUE(app.test_command("mnist.reset"));
  ASSERT_TRUE(app.test_command("step.open=mnist")) << json::parse(app.test_state_json())["step"].dump();
  ui.frames(app, 2);
  json s = json::parse(app.test_state_json())["step"];
  EXPECT_EQ(s["source"], "mnist");
  EXPECT_EQ(s["batch"], 32);
  EXPECT_TRUE(std::isfinite(s["loss"].get<double>()));
  EXPECT_FALSE(s["pytorch_compared"].get<bool>());
  EXPECT_EQ(s["no_comparison"], "no recording of this model");
  const int count = s["stage_count"].get<int>();
  bool conv_gradient = false;
  for (int i = 1; i < count; ++i) {
    ASSERT_TRUE(app.test_command("step.next"));
    ui.frames(app, 1);
    s = json::parse(app.test_state_json())["step"];
    for (const json& x : s["tensors"])
      if (x["key"] == "grad.0.weight") {
        conv_gradient = true;
        EXPECT_EQ(x["shape"], json::array({8, 1, 5, 5}));
      }
  }
  EXPECT_TRUE(conv_gradient) << "the first convolution's filters' gradient is a stage's tensor";
  EXPECT_GT(ui.vertices(), 8 * 25 * 4 * 4) << "the filters are drawn, four strips of eight 5x5 images";
}
