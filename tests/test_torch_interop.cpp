// nnplay and PyTorch read each other's weights files. tests/write_safetensors.py trains
// models in PyTorch and writes them with its own json + struct writer; nnplay loads them
// (inferring the architecture) and must score the MNIST test set as PyTorch did. The other
// way, nnplay's files load into PyTorch models and score as nnplay recorded. Counts may
// differ by a few images where summation order differs: at most 0.1% (10 of 10,000).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "nnplay/model_file.h"
#include "nnplay/proof.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMaxCountDiff = 10;

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

// Fails the test (never skips) when the reference cannot run here.
bool torch_available() {
  std::string cmd = std::string(NNPLAY_PYTHON) + " -c 'import torch, numpy' 2>/dev/null";
  if (std::system(cmd.c_str()) == 0) return true;
  ADD_FAILURE() << NNPLAY_PYTHON << " cannot import torch and numpy: run scripts/setup.sh (it installs "
                << "Debian's python3-torch)";
  return false;
}

// A temporary file's path, removed when the test leaves its scope, failed or not.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name)
      : path((fs::temp_directory_path() / ("nnplay_torch_" + std::to_string(::getpid()) + "_" + name)).string()) {}
  ~TempFile() { fs::remove(path); }
};

}  // namespace

TEST(TorchInterop, PyTorchModelsLoadInNnplayAndScoreTheSame) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  ASSERT_TRUE(torch_available());
  Dataset test = load_idx_dataset(dir, Split::Test);
  struct Case {
    const char* args;
    std::vector<int64_t> sizes;
  };
  const Case cases[] = {
      {"--model linear", {784, 10}},                                 // full MNIST, one epoch of SGD
      {"--model mlp --hidden 64 --limit 10000", {784, 64, 10}},      // nn.Sequential, Adam
      {"--model linear --dtype F16 --limit 10000", {784, 10}},       // half-precision file
      {"--model mlp --hidden 32 --limit 5000 --dtype BF16", {784, 32, 10}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    TempFile file("torch.safetensors");
    const std::string& path = file.path;
    PyResult py = python("train --data " + dir + " --out " + path + " " + c.args);
    ASSERT_EQ(py.status, 0) << py.output;
    ASSERT_EQ(py.count, 10000) << py.output;

    auto be = make_cpu_backend();
    LoadedModel m = load_model(*be, path);
    EXPECT_TRUE(m.arch.inferred);
    EXPECT_EQ(m.model->spec().sizes, c.sizes);
    EvalResult ev = evaluate_classifier(*m.model, test);
    const int64_t ours = ev.confusion.correct();
    std::printf("[ info ] %s: PyTorch %ld/10000 correct, nnplay %lld/10000\n", c.args, py.correct,
                static_cast<long long>(ours));
    EXPECT_LE(std::llabs(ours - py.correct), kMaxCountDiff);
  }
}

TEST(TorchInterop, NnplayModelsLoadInPyTorchAndScoreTheSame) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  ASSERT_TRUE(torch_available());
  Dataset train = load_idx_dataset(dir, Split::Train).head(5000);
  Dataset test = load_idx_dataset(dir, Split::Test);
  struct Case {
    const char* name;
    ModelSpec spec;
    OptimizerConfig opt;
  };
  const Case cases[] = {
      {"linear", ModelSpec{{784, 10}, Activation::ReLU, Activation::None, true}, {"sgd", 0.1f, 0.0f, 0.0f}},
      {"mlp tanh", ModelSpec{{784, 48, 10}, Activation::Tanh, Activation::None, true}, {"adam", 1e-3f, 0.0f, 0.0f}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto be = make_cpu_backend();
    Rng rng(3);
    Sequential model(*be, c.spec, rng);
    auto opt = make_optimizer(model.parameters(), c.opt);
    BatchLoader loader(*be, train, 100, true, true, 3);
    Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
    trainer.run_epoch();
    Proof proof = compute_proof(model, test);
    TempFile file("nnplay.safetensors");
    const std::string& path = file.path;
    save_model(path, model, {{kProofKey, proof_to_json(proof)}});

    PyResult py = python("eval --data " + dir + " --weights " + path);
    ASSERT_EQ(py.status, 0) << py.output;
    std::printf("[ info ] %s: nnplay %lld/10000 correct, PyTorch %ld/10000; first logits differ by %.3g\n", c.name,
                static_cast<long long>(proof.correct), py.correct, py.max_logit_diff);
    EXPECT_EQ(py.count, 10000);
    EXPECT_LE(std::llabs(proof.correct - py.correct), kMaxCountDiff);
    EXPECT_GE(py.max_logit_diff, 0.0) << py.output;
    EXPECT_LT(py.max_logit_diff, kProofLogitTolerance) << py.output;
  }
}
