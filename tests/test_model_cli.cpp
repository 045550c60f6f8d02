// nnplay-train's weights-file options end to end: mnist --save, eval (accuracy, confusion
// matrix, proof), --save-every / --resume giving the same weights as a straight run, xor
// --save, and bad files or options giving exit status 2 with one clear line.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "nnplay/model_file.h"
#include "cli_run.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

using Result = nnplay::test::CliResult;
using nnplay::test::contains;
Result run(const std::string& args) { return nnplay::test::run_cli(args); }

// The line of `output` that starts with `prefix` ("" if none).
std::string line_with(const std::string& output, const std::string& prefix) {
  size_t at = output.find(prefix);
  if (at == std::string::npos) return "";
  return output.substr(at, output.find('\n', at) - at);
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("nnplay_cli_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

bool same_tensors(const std::string& a, const std::string& b) {
  StFile fa = read_safetensors(a), fb = read_safetensors(b);
  if (fa.tensors.size() != fb.tensors.size()) return false;
  for (size_t i = 0; i < fa.tensors.size(); ++i) {
    const StTensor &x = fa.tensors[i], &y = fb.tensors[i];
    if (x.name != y.name || x.shape != y.shape || x.values.size() != y.values.size() ||
        std::memcmp(x.values.data(), y.values.data(), x.values.size() * 4) != 0)
      return false;
  }
  return true;
}

const std::string kQuick = " --train-limit 2000 --progress never --no-sample";

}  // namespace

TEST(ModelCli, SaveThenEvalPrintsAccuracyConfusionMatrixAndReproducedProof) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  Result train = run("mnist --data " + dir + " --epochs 1 --save " + (tmp / "m.safetensors") + kQuick);
  ASSERT_EQ(train.status, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "Model saved to " + (tmp / "m.safetensors"))) << train.output;

  Result ev = run("eval --data " + dir + " --weights " + (tmp / "m.safetensors"));
  ASSERT_EQ(ev.status, 0) << ev.output;
  // The accuracy eval prints is the one training printed.
  std::string trained = line_with(train.output, "Accuracy: ");
  ASSERT_FALSE(trained.empty()) << train.output;
  EXPECT_TRUE(contains(ev.output, trained + " (")) << trained << "\n" << ev.output;
  EXPECT_TRUE(contains(ev.output, "Model: 784-10 (7850 parameters): Linear(784, 10)")) << ev.output;
  EXPECT_TRUE(contains(ev.output, "architecture from the file's metadata")) << ev.output;
  EXPECT_TRUE(contains(ev.output, "Confusion matrix (rows: true class, columns: predicted class):")) << ev.output;
  EXPECT_TRUE(contains(ev.output, "\n     9 ")) << "ten rows, 0 to 9\n" << ev.output;
  EXPECT_TRUE(contains(ev.output, "Proof: reproduced: recorded ")) << ev.output;
}

TEST(ModelCli, ResumedRunsEndWithTheSameWeightsAsStraightRuns) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  for (std::string opts : {std::string(" --optimizer sgd --momentum 0.9 --lr 0.05"),
                           std::string(" --model mlp --hidden 32 --optimizer adam")}) {
    SCOPED_TRACE(opts);
    opts = " --data " + dir + opts + kQuick;
    Result straight = run("mnist --epochs 3 --save " + (tmp / "straight.safetensors") + opts);
    ASSERT_EQ(straight.status, 0) << straight.output;
    Result first = run("mnist --epochs 1 --save-every 1 --checkpoint " + (tmp / "ckpt.safetensors") + opts);
    ASSERT_EQ(first.status, 0) << first.output;
    EXPECT_TRUE(contains(first.output, "Checkpoint after epoch 1 saved to")) << first.output;
    Result rest = run("mnist --epochs 3 --resume " + (tmp / "ckpt.safetensors") + " --save " +
                      (tmp / "resumed.safetensors") + opts);
    ASSERT_EQ(rest.status, 0) << rest.output;
    EXPECT_TRUE(contains(rest.output, "Resumed from " + (tmp / "ckpt.safetensors") + " after epoch 1")) << rest.output;
    EXPECT_FALSE(contains(rest.output, "Epoch: 0001")) << rest.output;
    // Same losses for the resumed epochs, same final weights, same accuracy.
    for (const char* epoch : {"Epoch: 0002", "Epoch: 0003", "Accuracy: "})
      EXPECT_EQ(line_with(rest.output, epoch), line_with(straight.output, epoch)) << epoch;
    EXPECT_TRUE(same_tensors(tmp / "straight.safetensors", tmp / "resumed.safetensors"));
  }
}

TEST(ModelCli, SaveEveryWritesNextToSaveByDefault) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  Result r = run("mnist --data " + dir + " --epochs 2 --save-every 2 --save " + (tmp / "m.safetensors") + kQuick);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(fs::exists(tmp / "m.ckpt.safetensors")) << r.output;
  StFile ckpt = read_safetensors(tmp / "m.ckpt.safetensors");
  EXPECT_EQ(ckpt.metadata.at("checkpoint.epoch"), "2");
  // The checkpoint after the last epoch holds the final weights.
  StFile model = read_safetensors(tmp / "m.safetensors");
  EXPECT_EQ(ckpt.find("weight")->values, model.find("weight")->values);
}

TEST(ModelCli, BadWeightFilesGiveExitStatus2AndOneLine) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  Result missing = run("eval --data " + dir + " --weights " + (tmp / "nope.safetensors"));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_EQ(missing.output, "nnplay-train: error: " + (tmp / "nope.safetensors") + ": cannot open (No such file or directory)\n");

  {
    const std::string junk_bytes("\x10\0\0\0\0\0\0\0{\"a\":oops}      ", 24);  // header length 16, bad JSON
    std::ofstream(tmp / "junk.safetensors", std::ios::binary).write(junk_bytes.data(), std::streamsize(junk_bytes.size()));
  }
  Result junk = run("eval --data " + dir + " --weights " + (tmp / "junk.safetensors"));
  EXPECT_EQ(junk.status, 2) << junk.output;
  EXPECT_TRUE(contains(junk.output, "nnplay-train: error: " + (tmp / "junk.safetensors") + ": ")) << junk.output;
  EXPECT_EQ(std::count(junk.output.begin(), junk.output.end(), '\n'), 1) << junk.output;

  // A valid file of a model that does not fit MNIST.
  Result x = run("xor --epochs 10 --print-every 0 --save " + (tmp / "xor.safetensors"));
  ASSERT_EQ(x.status, 0) << x.output;
  Result wrong = run("eval --data " + dir + " --weights " + (tmp / "xor.safetensors"));
  EXPECT_EQ(wrong.status, 2) << wrong.output;
  EXPECT_TRUE(contains(wrong.output, "model takes 2 inputs")) << wrong.output;

  Result act = run("eval --data " + dir + " --weights " + (tmp / "xor.safetensors") + " --activation swish");
  EXPECT_EQ(act.status, 2) << act.output;
  EXPECT_TRUE(contains(act.output, "unknown activation 'swish'")) << act.output;
}

TEST(ModelCli, XorSaveRecordsTheWholeModel) {
  TempDir tmp;
  Result r = run("xor --epochs 2001 --print-every 0 --save " + (tmp / "xor.safetensors"));
  ASSERT_EQ(r.status, 0) << r.output;
  auto be = make_cpu_backend();
  LoadedModel m = load_model(*be, tmp / "xor.safetensors");
  EXPECT_EQ(m.model->spec().sizes, (std::vector<int64_t>{2, 10, 10, 10, 1}));
  EXPECT_EQ(m.model->spec().hidden, Activation::Sigmoid);
  EXPECT_EQ(m.model->spec().output, Activation::Sigmoid);
  // The saved model gives the outputs the run printed.
  Tensor x = test::make_tensor(*be, {4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
  std::vector<float> y = m.model->forward(x).to_host();
  char printed[128];
  std::snprintf(printed, sizeof printed, "Model outputs (hypothesis):  %.8f %.8f %.8f %.8f", double(y[0]), double(y[1]),
                double(y[2]), double(y[3]));
  EXPECT_TRUE(contains(r.output, printed)) << printed << "\n" << r.output;
}

TEST(ModelCli, BadSaveOptionsFailBeforeTraining) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  Result no_folder = run("mnist --data " + dir + " --epochs 1 --save /nonexistent/folder/m.safetensors" + kQuick);
  EXPECT_EQ(no_folder.status, 2) << no_folder.output;
  EXPECT_TRUE(contains(no_folder.output, "the folder /nonexistent/folder does not exist")) << no_folder.output;
  EXPECT_FALSE(contains(no_folder.output, "Epoch:")) << no_folder.output;

  Result no_path = run("mnist --data " + dir + " --epochs 1 --save-every 1" + kQuick);
  EXPECT_EQ(no_path.status, 2) << no_path.output;
  EXPECT_TRUE(contains(no_path.output, "--save-every needs --checkpoint FILE")) << no_path.output;

  // Resuming needs the same settings, and a checkpoint rather than a model file.
  Result first = run("mnist --data " + dir + " --epochs 1 --save-every 1 --save " + (tmp / "m.safetensors") + kQuick);
  ASSERT_EQ(first.status, 0) << first.output;
  Result lr = run("mnist --data " + dir + " --epochs 2 --lr 0.2 --resume " + (tmp / "m.ckpt.safetensors") + kQuick);
  EXPECT_EQ(lr.status, 2) << lr.output;
  EXPECT_TRUE(contains(lr.output, "learning rate 0.100000001 but this run has 0.200000003")) << lr.output;
  Result model = run("mnist --data " + dir + " --epochs 2 --resume " + (tmp / "m.safetensors") + kQuick);
  EXPECT_EQ(model.status, 2) << model.output;
  EXPECT_TRUE(contains(model.output, "not an nnplay checkpoint")) << model.output;
}
