// nnplay's step against PyTorch's: for the step view's default cases (xor, linear, mlp)
// every quantity PyTorch recorded (assets/step/, scripts/record-pytorch-step.sh) must
// agree with the trace within 1e-5 relative to the quantity's scale; and the same holds
// for a recording made now by tests/torch_step.py, from the case file nnplay writes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "nnplay/step_cases.h"
#include "nnplay/step_record.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

constexpr double kRelTolerance = 1e-5;

const Dataset& mnist_train() {
  static Dataset d = [] {
    std::string dir = test::mnist_dir_or_fail();
    return dir.empty() ? Dataset{} : load_idx_dataset(dir, Split::Train);
  }();
  return d;
}

// The recordings: xor, linear and mlp on the full training set (the CLI and the desktop),
// linear-page on the page's subset, the first 10,000 training images
// (scripts/pack-mnist-subset.sh), whose shuffle starts with another batch.
const char* const kRecordings[] = {"xor", "linear", "mlp", "linear-page"};

std::unique_ptr<StepCase> make_case(Backend& be, const std::string& model) {
  if (model == "xor") return StepCase::make_xor(be);
  if (model == "linear-page") return StepCase::make_mnist(be, step_mnist_recipe("linear"), mnist_train().head(10000));
  return StepCase::make_mnist(be, step_mnist_recipe(model), mnist_train());
}

// Every quantity within tolerance, and the ones the view cannot do without present.
void expect_agrees(const StepTrace& t, const StFile& rec, const std::string& what) {
  const StepComparison c = compare_with_recorded(t, rec);
  ASSERT_TRUE(c.same_case) << c.why_not;
  for (const QuantityDiff& q : c.quantities) {
    EXPECT_GT(q.compared, 0) << q.key << ": not in the trace";
    EXPECT_LE(q.max_rel, kRelTolerance) << q.key << ": max |diff| " << q.max_abs;
  }
  std::vector<std::string> needed = {"loss", "dout." + std::to_string(t.modules.size() - 1)};
  for (const ParameterEntry& e : t.parameters)
    for (const char* prefix : {"grad.", "lr_grad.", "new."}) needed.push_back(prefix + e.name);
  for (size_t i = 0; i < t.modules.size(); ++i) needed.push_back("out." + std::to_string(i));
  if (t.loss == LossKind::CrossEntropy) needed.push_back("softmax");
  for (const std::string& key : needed) EXPECT_NE(c.find(key), nullptr) << key << " is not recorded";
  std::printf("[ info ] %s: %zu quantities, largest relative difference %.3g\n", what.c_str(), c.quantities.size(),
              c.max_rel);
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name)
      : path((fs::temp_directory_path() / ("nnplay_step_" + std::to_string(::getpid()) + "_" + name)).string()) {}
  ~TempFile() { fs::remove(path); }
};

int run_python(const std::string& args, std::string& output) {
  const std::string cmd = std::string(NNPLAY_PYTHON) + " " + NNPLAY_SOURCE_DIR + "/tests/torch_step.py " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) output.append(buf.data(), n);
  const int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

// Fails the test (never skips) when the reference cannot run here.
bool torch_available() {
  std::string cmd = std::string(NNPLAY_PYTHON) + " -c 'import torch, numpy' 2>/dev/null";
  if (std::system(cmd.c_str()) == 0) return true;
  ADD_FAILURE() << NNPLAY_PYTHON << " cannot import torch and numpy: run scripts/setup.sh (it installs "
                << "Debian's python3-torch)";
  return false;
}

}  // namespace

TEST(StepTorch, CommittedRecordingsAgree) {
  for (const char* model : kRecordings) {
    SCOPED_TRACE(model);
    auto be = make_cpu_backend(1);
    auto c = make_case(*be, model);
    const StepTrace t = c->run();
    const std::string path = std::string(NNPLAY_SOURCE_DIR) + "/assets/step/pytorch-step-" + model + ".safetensors";
    expect_agrees(t, read_safetensors(path), std::string(model) + " (committed)");
  }
}

TEST(StepTorch, RecordingsMadeNowAgree) {
  ASSERT_TRUE(torch_available());
  for (const char* model : kRecordings) {
    SCOPED_TRACE(model);
    auto be = make_cpu_backend(1);
    auto c = make_case(*be, model);
    TempFile case_file(std::string(model) + "-case.safetensors"), out(std::string(model) + "-torch.safetensors");
    write_step_case(case_file.path, c->model(), c->loss(), c->optimizer().lr, c->batch());
    std::string output;
    ASSERT_EQ(run_python(case_file.path + " " + out.path, output), 0) << output;
    const StepTrace t = c->run();
    expect_agrees(t, read_safetensors(out.path), std::string(model) + " (now)");
  }
}
