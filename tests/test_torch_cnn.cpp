// Convolutional networks against PyTorch. tests/write_safetensors.py builds the
// nn.Sequential a layer list describes (tests/torch_layers.py, written from the list's
// grammar, not from nnplay's parser), so:
//   - the same weights and batch give the same logits and loss, and after one SGD step the
//     same weights (max abs difference at most 1e-5);
//   - a CNN trained in PyTorch and saved as safetensors scores in nnplay as in PyTorch;
//   - nnplay's CNN files load into PyTorch (from their metadata alone) and score the same.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "nnplay/model_file.h"
#include "nnplay/proof.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMaxCountDiff = 10;  // of 10,000: where summation order decides a close call
constexpr double kParityTolerance = 1e-5;

struct PyResult {
  int status = -1;
  std::string output;
  long correct = -1, count = -1;
  double max_logit_diff = -1;
};

PyResult python(const std::string& args) {
  std::string cmd = std::string(NNPLAY_PYTHON) + " " + NNPLAY_SOURCE_DIR + "/tests/write_safetensors.py " + args + " 2>&1";
  PyResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  size_t at = r.output.find("correct=");
  if (at != std::string::npos) std::sscanf(r.output.c_str() + at, "correct=%ld count=%ld", &r.correct, &r.count);
  at = r.output.find("max_logit_diff=");
  if (at != std::string::npos) std::sscanf(r.output.c_str() + at, "max_logit_diff=%lf", &r.max_logit_diff);
  return r;
}

bool torch_available() {
  std::string cmd = std::string(NNPLAY_PYTHON) + " -c 'import torch, numpy' 2>/dev/null";
  if (std::system(cmd.c_str()) == 0) return true;
  ADD_FAILURE() << NNPLAY_PYTHON << " cannot import torch and numpy: run scripts/setup.sh (it installs "
                << "Debian's python3-torch)";
  return false;
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name)
      : path((fs::temp_directory_path() / ("nnplay_torch_cnn_" + std::to_string(::getpid()) + "_" + name)).string()) {}
  ~TempFile() { fs::remove(path); }
};

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(double(a[i]) - double(b[i])));
  return m;
}

}  // namespace

TEST(TorchCnn, SameLogitsAndSameWeightsAfterOneSgdStep) {
  ASSERT_TRUE(torch_available());
  const char* lists[] = {
      "conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10",                // the recipe's network
      "conv3x3x4/s2p1,pool2,conv2x2x5p1,pool3/s1,fc7,fc10",          // stride, padding, overlapping pools, tails
      "tanh,conv4x3x3/s2,conv3x3x6/p2,pool2/s1,flatten,fc12,fc10",   // rectangular kernel, tanh, explicit flatten
  };
  for (const char* list : lists) {
    SCOPED_TRACE(list);
    auto be = make_cpu_backend(1);
    Rng rng(5);
    Sequential model(*be, ModelSpec::from_layers(list, {1, 28, 28}), rng);
    const int64_t n = 16;
    std::vector<float> x(static_cast<size_t>(n * 784)), labels(static_cast<size_t>(n));
    Rng data(6);
    for (float& v : x) v = data.uniform();
    for (float& v : labels) v = float(data.below(10));

    TempFile model_file("model.safetensors"), batch_file("batch.safetensors"), out_file("out.safetensors");
    save_model(model_file.path, model);
    write_safetensors(batch_file.path, {{"x", {n, 784}, x.data()}, {"labels", {n}, labels.data()}}, {});
    PyResult py = python("step --model " + model_file.path + " --batch " + batch_file.path + " --out " +
                         out_file.path + " --lr 0.1");
    ASSERT_EQ(py.status, 0) << py.output;
    StFile torch_out = read_safetensors(out_file.path);

    // nnplay: the logits, then one step of the one training loop's step function.
    Tensor xt(*be, {n, 784});
    xt.from_host(x);
    Labels lab(*be, n);
    std::vector<int32_t> li(labels.begin(), labels.end());
    lab.from_host(li.data(), n);
    const std::vector<float> logits = model.forward(xt).to_host();
    auto sgd = make_optimizer(model.parameters(), {"sgd", 0.1f, 0.0f, 0.0f});
    Tensor dpred;
    Batch batch{&xt, &lab, nullptr};
    const float loss = train_step(model, *sgd, LossKind::CrossEntropy, batch, dpred);

    const double dlogits = max_abs_diff(logits, torch_out.find("logits")->values);
    std::printf("[ info ] %s: logits differ by %.3g, loss %.9g vs %.9g\n", list, dlogits, double(loss),
                double(torch_out.find("loss")->values[0]));
    EXPECT_LE(dlogits, kParityTolerance);
    EXPECT_NEAR(loss, torch_out.find("loss")->values[0], kParityTolerance);
    const std::vector<float> params = model.parameters().data().to_host();
    for (const ParameterEntry& e : model.parameters().entries()) {
      const StTensor* t = torch_out.find(e.name);
      ASSERT_NE(t, nullptr) << e.name;
      ASSERT_EQ(t->shape, e.shape) << e.name;
      std::vector<float> ours(params.begin() + e.offset, params.begin() + e.offset + e.numel);
      EXPECT_LE(max_abs_diff(ours, t->values), kParityTolerance) << e.name << " after one SGD step";
    }
  }
}

TEST(TorchCnn, APyTorchCnnScoresTheSameInNnplay) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  ASSERT_TRUE(torch_available());
  const std::string list = "conv5x5x8,pool2,conv3x3x8/p1,pool2,fc10";
  TempFile file("torch.safetensors");
  PyResult py = python("train --model cnn --layers " + list + " --limit 5000 --data " + dir + " --out " + file.path);
  ASSERT_EQ(py.status, 0) << py.output;
  ASSERT_EQ(py.count, 10000) << py.output;

  Dataset test = load_idx_dataset(dir, Split::Test);
  auto be = make_cpu_backend(1);
  LoadedModel m = load_model(*be, file.path, {}, ModelSpec::from_layers(list, {1, 28, 28}));
  EvalResult ev = evaluate_classifier(*m.model, test);
  const int64_t ours = ev.confusion.correct();
  std::printf("[ info ] PyTorch CNN: PyTorch %ld/10000 correct, nnplay %lld/10000\n", py.correct,
              static_cast<long long>(ours));
  EXPECT_GT(py.correct, 5000);  // it learned (50 steps on 5,000 images)
  EXPECT_LE(std::llabs(ours - py.correct), kMaxCountDiff);
}

TEST(TorchCnn, NnplayCnnFilesLoadInPyTorchAndScoreTheSame) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  ASSERT_TRUE(torch_available());
  Dataset train = load_idx_dataset(dir, Split::Train).head(3000);
  Dataset test = load_idx_dataset(dir, Split::Test);
  auto be = make_cpu_backend(1);
  Recipe r = mnist_layers_recipe("conv5x5x8/p2,pool2,dropout0.2,conv3x3x8/s2,fc32,fc10");
  r.epochs = 1;
  ClassifierRun run(*be, r, train);
  run.trainer().run_epoch();
  Proof proof = compute_proof(run.model(), test);
  TempFile file("nnplay.safetensors");
  save_model(file.path, run.model(), {{kProofKey, proof_to_json(proof)}});

  PyResult py = python("eval --data " + dir + " --weights " + file.path);
  ASSERT_EQ(py.status, 0) << py.output;
  std::printf("[ info ] nnplay CNN: nnplay %lld/10000 correct, PyTorch %ld/10000; first logits differ by %.3g\n",
              static_cast<long long>(proof.correct), py.correct, py.max_logit_diff);
  EXPECT_EQ(py.count, 10000);
  EXPECT_GT(proof.correct, 5000);  // it learned (46 steps on 3,000 images)
  EXPECT_LE(std::llabs(proof.correct - py.correct), kMaxCountDiff);
  EXPECT_GE(py.max_logit_diff, 0.0) << py.output;
  EXPECT_LT(py.max_logit_diff, kProofLogitTolerance) << py.output;
}
