// Checkpoints: a run interrupted after an epoch and resumed from its checkpoint ends with
// the same weights, bit for bit, as a run straight through (SGD with momentum, Adam);
// resuming with other settings or from a damaged file is one clear error; and a writer
// killed in the middle of a save leaves the previous file loadable.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>

#include "nnplay/checkpoint.h"
#include "nnplay/model_file.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

// Everything one training run holds, built the way nnplay-train mnist builds it.
struct Session {
  std::unique_ptr<Backend> be = make_cpu_backend(1);
  Rng init;
  Sequential model;
  std::unique_ptr<Optimizer> opt;
  BatchLoader loader;
  Trainer trainer;
  RunSettings run;
  Session(const Dataset& train, const ModelSpec& spec, const OptimizerConfig& oc, uint64_t seed, int64_t batch = 100)
      : init(seed),
        model(*be, spec, init),
        opt(make_optimizer(model.parameters(), oc)),
        loader(*be, train, batch, true, true, shuffle_seed(seed)),
        trainer(model, *opt, LossKind::CrossEntropy, loader),
        run{oc, batch, seed, train.count, "mnist head"} {}
  void train(int from, int to) {
    for (int e = from; e <= to; ++e) trainer.run_epoch();
  }
  std::vector<float> weights() const { return model.parameters().data().to_host(); }
};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string temp_dir() {
  fs::path d = fs::temp_directory_path() / ("nnplay_ckpt_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d.string();
}

const Dataset& mnist_head() {
  static Dataset d = [] {
    std::string dir = test::mnist_dir_or_fail();
    if (dir.empty()) return Dataset{};
    return load_idx_dataset(dir, Split::Train).head(3000);
  }();
  return d;
}

struct Case {
  const char* name;
  ModelSpec spec;
  OptimizerConfig opt;
};

const Case kCases[] = {
    {"linear, SGD with momentum", ModelSpec{{784, 10}, Activation::ReLU, Activation::None, true},
     OptimizerConfig{"sgd", 0.05f, 0.9f, 1e-4f}},
    {"MLP, Adam", ModelSpec{{784, 32, 10}, Activation::ReLU, Activation::None, true},
     OptimizerConfig{"adam", 1e-3f, 0.0f, 0.0f}},
};

}  // namespace

TEST(Checkpoint, ResumedRunEndsBitIdenticalToAStraightRun) {
  const Dataset& train = mnist_head();
  ASSERT_GT(train.count, 0);
  const std::string path = temp_dir() + "/resume.safetensors";
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Session straight(train, c.spec, c.opt, 777);
    straight.train(1, 2);

    {
      Session first(train, c.spec, c.opt, 777);
      first.train(1, 1);
      save_checkpoint(path, first.model, *first.opt, first.loader, 1, first.run);
    }  // the process that saved is gone; a new one resumes
    Session resumed(train, c.spec, c.opt, 777);
    EXPECT_EQ(restore_checkpoint(path, resumed.model, *resumed.opt, resumed.loader, resumed.run), 1);
    resumed.train(2, 2);
    EXPECT_TRUE(same_bits(resumed.weights(), straight.weights()));

    // The optimizer's state came back too, not just the weights.
    if (auto* a = dynamic_cast<Adam*>(resumed.opt.get())) {
      auto* b = dynamic_cast<Adam*>(straight.opt.get());
      EXPECT_EQ(a->step_count(), b->step_count());
      EXPECT_TRUE(same_bits(a->second_moment().to_host(), b->second_moment().to_host()));
    } else {
      auto* s = dynamic_cast<Sgd*>(resumed.opt.get());
      EXPECT_TRUE(same_bits(s->momentum_buffer().to_host(),
                            dynamic_cast<Sgd*>(straight.opt.get())->momentum_buffer().to_host()));
    }

    // Without the checkpoint's optimizer and loader state the run would differ: the
    // comparison above can fail.
    Session weights_only(train, c.spec, c.opt, 777);
    load_parameters(read_safetensors(path), model_architecture(read_safetensors(path)), weights_only.model);
    weights_only.train(2, 2);
    EXPECT_FALSE(same_bits(weights_only.weights(), straight.weights()));
  }
  fs::remove_all(fs::path(path).parent_path());
}

TEST(Checkpoint, SavingDoesNotDisturbTheRun) {
  const Dataset& train = mnist_head();
  ASSERT_GT(train.count, 0);
  const std::string path = temp_dir() + "/every.safetensors";
  const Case& c = kCases[0];
  Session plain(train, c.spec, c.opt, 9);
  plain.train(1, 2);
  Session saving(train, c.spec, c.opt, 9);
  for (int e = 1; e <= 2; ++e) {
    saving.train(e, e);
    save_checkpoint(path, saving.model, *saving.opt, saving.loader, e, saving.run);
  }
  EXPECT_TRUE(same_bits(plain.weights(), saving.weights()));
  fs::remove_all(fs::path(path).parent_path());
}

TEST(Checkpoint, FileHoldsTheStateUnderReservedNamesAndLoadsAsAModel) {
  const Dataset& train = mnist_head();
  ASSERT_GT(train.count, 0);
  const std::string path = temp_dir() + "/layout.safetensors";
  Session s(train, kCases[1].spec, kCases[1].opt, 5);
  s.train(1, 1);
  save_checkpoint(path, s.model, *s.opt, s.loader, 1, s.run);
  StFile f = read_safetensors(path);
  EXPECT_EQ(f.metadata.at("format"), "nnplay-checkpoint");
  EXPECT_EQ(f.metadata.at("checkpoint.epoch"), "1");
  EXPECT_EQ(f.metadata.at("optimizer.step"), "30");  // 3000 images / batch 100
  ASSERT_NE(f.find("nnplay.optimizer.exp_avg"), nullptr);
  EXPECT_EQ(f.find("nnplay.optimizer.exp_avg_sq")->shape, (Shape{s.model.parameters().total()}));
  EXPECT_NE(f.find("0.weight"), nullptr);

  auto be = make_cpu_backend();
  LoadedModel m = load_model(*be, f);  // eval can read a checkpoint: the state is skipped
  EXPECT_TRUE(same_bits(m.model->parameters().data().to_host(), s.weights()));
  fs::remove_all(fs::path(path).parent_path());
}

namespace {

// Rewrites a file with some metadata changed and some tensors dropped.
std::string tamper(const StFile& f, const std::string& path, const Metadata& changes,
                   const std::vector<std::string>& drop = {}) {
  Metadata m = f.metadata;
  for (const auto& [k, v] : changes) {
    if (v == "<erase>") m.erase(k);
    else m[k] = v;
  }
  std::vector<StTensorRef> refs;
  for (const StTensor& t : f.tensors)
    if (std::find(drop.begin(), drop.end(), t.name) == drop.end()) refs.push_back({t.name, t.shape, t.values.data()});
  write_safetensors(path, refs, m);
  return path;
}

}  // namespace

TEST(Checkpoint, ResumingWithOtherSettingsOrADamagedFileIsAClearError) {
  const Dataset& train = mnist_head();
  ASSERT_GT(train.count, 0);
  const std::string dir = temp_dir();
  const std::string path = dir + "/ckpt.safetensors";
  const Case& c = kCases[1];
  {
    Session s(train, c.spec, c.opt, 777);
    s.train(1, 1);
    save_checkpoint(path, s.model, *s.opt, s.loader, 1, s.run);
  }
  auto expect_refused = [&](Session& s, const std::string& file, const std::string& part) {
    const std::vector<float> before = s.weights();
    try {
      restore_checkpoint(file, s.model, *s.opt, s.loader, s.run);
      ADD_FAILURE() << "expected an error containing '" << part << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
    EXPECT_TRUE(same_bits(s.weights(), before)) << "a refused checkpoint must not change the model";
  };

  OptimizerConfig other_lr = c.opt;
  other_lr.lr = 2e-3f;
  Session lr(train, c.spec, other_lr, 777);
  expect_refused(lr, path, "learning rate 0.00100000005 but this run has 0.00200000009");
  Session batch(train, c.spec, c.opt, 777, 50);
  expect_refused(batch, path, "batch size 100 but this run has 50");
  Session seed(train, c.spec, c.opt, 778);
  expect_refused(seed, path, "seed 777");
  ModelSpec wider = c.spec;
  wider.sizes = {784, 64, 10};
  Session spec(train, wider, c.opt, 777);
  expect_refused(spec, path, "holds a 784-32-10 relu model but this run builds 784-64-10 relu");
  Session sgd(train, c.spec, OptimizerConfig{"sgd", 1e-3f, 0.0f, 0.0f}, 777);
  expect_refused(sgd, path, "optimizer adam but this run has sgd");

  Session ok(train, c.spec, c.opt, 777);
  StFile f = read_safetensors(path);
  const std::string bad = dir + "/bad.safetensors";
  expect_refused(ok, tamper(f, bad, {{"format", "nnplay-model"}}), "not an nnplay checkpoint");
  expect_refused(ok, tamper(f, bad, {{"loader.rng_inc", "4"}}), "must be odd");
  expect_refused(ok, tamper(f, bad, {{"optimizer.step", "-3"}}), "'optimizer.step' must be an integer");
  expect_refused(ok, tamper(f, bad, {{"checkpoint.epoch", "<erase>"}}), "lacks 'checkpoint.epoch'");
  expect_refused(ok, tamper(f, bad, {}, {"nnplay.optimizer.exp_avg_sq"}), "lacks the optimizer tensor");
  expect_refused(ok, tamper(f, bad, {}, {"2.bias"}), "but the file holds");
  std::vector<float> extra = {1};
  std::vector<StTensorRef> refs;
  for (const StTensor& t : f.tensors) refs.push_back({t.name, t.shape, t.values.data()});
  refs.push_back({"nnplay.optimizer.unknown", {1}, extra.data()});
  write_safetensors(bad, refs, f.metadata);
  expect_refused(ok, bad, "unexpected training-state tensor");

  // A model file is not a checkpoint.
  save_model(bad, ok.model);
  expect_refused(ok, bad, "not an nnplay checkpoint");
  fs::remove_all(dir);
}

TEST(AtomicWrite, KillingAWriterMidSaveLeavesThePreviousFileLoadable) {
  const std::string dir = temp_dir() + "/kill";
  fs::create_directories(dir);
  const std::string path = dir + "/model.safetensors";
  const std::vector<float> old_values = {1, 2, 3};
  write_safetensors(path, {{"old", {3}, old_values.data()}}, {{"generation", "old"}});

  // Big enough that writing it takes a while, so that kills land inside the write.
  std::vector<float> big(size_t(4) << 20);
  for (size_t i = 0; i < big.size(); ++i) big[i] = float(i % 1000);
  // Kill times spread over one and a half times a measured save, so that whatever this
  // machine's (or sanitizer's) speed, kills land before, during and after saves.
  auto t0 = std::chrono::steady_clock::now();
  write_safetensors(dir + "/probe", {{"new", {int64_t(big.size())}, big.data()}}, {});
  const auto save_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  fs::remove(dir + "/probe");
  const uint32_t window_us = uint32_t(std::max<int64_t>(2000, save_us.count() * 3 / 2));
  Rng rng(2024);
  int interrupted = 0, saw_old = 0, saw_new = 0;
  const int rounds = 40;
  for (int round = 0; round < rounds; ++round) {
    std::fflush(nullptr);
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(ready[0]);
      // Tell the parent that saving starts now, so that its clock does not include the
      // time a fork takes (long under sanitizers).
      char go = 1;
      if (::write(ready[1], &go, 1) != 1) ::_exit(2);
      try {
        for (;;) write_safetensors(path, {{"new", {int64_t(big.size())}, big.data()}}, {{"generation", "new"}});
      } catch (...) {
      }
      ::_exit(1);
    }
    ::close(ready[1]);
    char go = 0;
    ASSERT_EQ(::read(ready[0], &go, 1), 1);
    ::close(ready[0]);
    ::usleep(useconds_t(rng.below(window_us)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer should have been killed, not have exited";

    // A leftover temporary file means the kill hit a save in progress.
    bool partial = false;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename() != "model.safetensors") {
        partial = true;
        fs::remove(e.path());
      }
    interrupted += partial;

    StFile f = read_safetensors(path);  // must load, whatever the moment of the kill
    ASSERT_EQ(f.tensors.size(), 1u);
    if (f.metadata.at("generation") == "old") {
      ++saw_old;
      EXPECT_EQ(f.tensors[0].values, old_values);
    } else {
      ++saw_new;
      ASSERT_EQ(f.tensors[0].values.size(), big.size());
      EXPECT_TRUE(same_bits(f.tensors[0].values, big));
      // Later rounds start from the new file; put the old one back to keep testing both.
      write_safetensors(path, {{"old", {3}, old_values.data()}}, {{"generation", "old"}});
    }
  }
  std::printf("[ info ] one save takes %lld us; %d of %d kills interrupted a save in progress; the file then held "
              "the old model %d times, the complete new one %d times\n",
              static_cast<long long>(save_us.count()), interrupted, rounds, saw_old, saw_new);
  EXPECT_GT(interrupted, 0) << "no kill landed inside a save: the test proved nothing";
  fs::remove_all(fs::path(dir).parent_path());
}
