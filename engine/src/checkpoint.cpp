// Saving and restoring training checkpoints (weights + optimizer + loader state).
#include "nnplay/checkpoint.h"

#include <cstdio>
#include <limits>

#include "nnplay/error.h"
#include "nnplay/model_file.h"

namespace nnplay {

namespace {

constexpr const char* kMomentum = "nnplay.optimizer.momentum_buffer";
constexpr const char* kExpAvg = "nnplay.optimizer.exp_avg";
constexpr const char* kExpAvgSq = "nnplay.optimizer.exp_avg_sq";

constexpr const char* kEpoch = "checkpoint.epoch";
constexpr const char* kOptName = "optimizer.name";
constexpr const char* kOptLr = "optimizer.lr";
constexpr const char* kOptMomentum = "optimizer.momentum";
constexpr const char* kOptWeightDecay = "optimizer.weight_decay";
constexpr const char* kSgdFirstStep = "optimizer.first_step";
constexpr const char* kAdamStep = "optimizer.step";
constexpr const char* kRngState = "loader.rng_state";
constexpr const char* kRngInc = "loader.rng_inc";
constexpr const char* kDropoutRngState = "dropout.rng_state";  // only for models with Dropout
constexpr const char* kDropoutRngInc = "dropout.rng_inc";
constexpr const char* kBatch = "batch";
constexpr const char* kSeed = "seed";
constexpr const char* kTrainCount = "train_count";
constexpr const char* kDataset = "dataset";

// Nine significant digits read back as the same float, so settings compare exactly as
// strings.
std::string float_str(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", double(v));
  return buf;
}

const std::string& field(const StFile& f, const char* key) {
  auto it = f.metadata.find(key);
  if (it == f.metadata.end()) throw Error(f.source + ": checkpoint metadata lacks '" + key + "'");
  return it->second;
}

uint64_t field_u64(const StFile& f, const char* key, uint64_t max) {
  const std::string& s = field(f, key);
  uint64_t v = 0;
  bool ok = !s.empty() && s.size() <= 20;
  for (char c : s) {
    if (c < '0' || c > '9' || v > (std::numeric_limits<uint64_t>::max() - uint64_t(c - '0')) / 10) {
      ok = false;
      break;
    }
    v = v * 10 + uint64_t(c - '0');
  }
  if (!ok || v > max)
    throw Error(f.source + ": checkpoint metadata '" + key + "' must be an integer in [0, " + std::to_string(max) +
                "], got '" + s + "'");
  return v;
}

// Compares one recorded setting with this run's and names both when they differ.
void expect_same(const StFile& f, const char* key, const std::string& here, const char* option) {
  const std::string& there = field(f, key);
  if (there != here)
    throw Error(f.source + ": the checkpoint was saved with " + option + " " + there + " but this run has " + here +
                " (resume with the same settings)");
}

const StTensor& state_tensor(const StFile& f, const char* name, int64_t total) {
  const StTensor* t = f.find(name);
  if (!t) throw Error(f.source + ": checkpoint lacks the optimizer tensor '" + std::string(name) + "'");
  if (t->shape != Shape{total})
    throw Error(f.source + ": optimizer tensor '" + std::string(name) + "' has shape " + shape_str(t->shape) +
                " but the model has " + std::to_string(total) + " parameters");
  return *t;
}

}  // namespace

void save_checkpoint(const std::string& path, Sequential& model, Optimizer& optimizer, const BatchLoader& loader,
                     int epoch, const RunSettings& run, const Metadata& extra) {
  Metadata m = model_metadata(model.spec());
  m[meta::kFormat] = meta::kFormatCheckpoint;
  m[kEpoch] = std::to_string(epoch);
  m[kOptName] = run.optimizer.name;
  m[kOptLr] = float_str(run.optimizer.lr);
  m[kOptMomentum] = float_str(run.optimizer.momentum);
  m[kOptWeightDecay] = float_str(run.optimizer.weight_decay);
  m[kBatch] = std::to_string(run.batch);
  m[kSeed] = std::to_string(run.seed);
  m[kTrainCount] = std::to_string(run.train_count);
  m[kDataset] = run.dataset;
  const Rng::State rs = loader.rng_state();
  m[kRngState] = std::to_string(rs.state);
  m[kRngInc] = std::to_string(rs.inc);
  if (model.has_dropout()) {
    const Rng::State ds = model.dropout_rng().state();
    m[kDropoutRngState] = std::to_string(ds.state);
    m[kDropoutRngInc] = std::to_string(ds.inc);
  }
  for (const auto& [k, v] : extra) m[k] = v;

  // Every buffer is copied to the host first (backends other than the CPU keep them in
  // device memory), then written in one go.
  const ParameterSet& params = model.parameters();
  std::vector<std::vector<float>> host;
  host.reserve(3);
  host.push_back(params.data().to_host());
  std::vector<StTensorRef> refs;
  for (const ParameterEntry& e : params.entries()) refs.push_back({e.name, e.shape, host[0].data() + e.offset});
  auto add_state = [&](const char* name, const Tensor& t) {
    host.push_back(t.to_host());
    refs.push_back({name, {params.total()}, host.back().data()});
  };
  if (auto* sgd = dynamic_cast<Sgd*>(&optimizer)) {
    if (run.optimizer.name != "sgd") throw Error("save_checkpoint: the optimizer is SGD but the settings say " + run.optimizer.name);
    m[kSgdFirstStep] = sgd->first_step() ? "true" : "false";
    if (sgd->momentum_buffer().numel() != 0) add_state(kMomentum, sgd->momentum_buffer());
  } else if (auto* adam = dynamic_cast<Adam*>(&optimizer)) {
    if (run.optimizer.name != "adam") throw Error("save_checkpoint: the optimizer is Adam but the settings say " + run.optimizer.name);
    m[kAdamStep] = std::to_string(adam->step_count());
    add_state(kExpAvg, adam->first_moment());
    add_state(kExpAvgSq, adam->second_moment());
  } else {
    throw Error("save_checkpoint: unsupported optimizer " + optimizer.describe());
  }
  write_safetensors(path, refs, m);
}

int restore_checkpoint(const StFile& f, Sequential& model, Optimizer& optimizer, BatchLoader& loader,
                       const RunSettings& run) {
  auto fmt = f.metadata.find(meta::kFormat);
  if (fmt == f.metadata.end() || fmt->second != meta::kFormatCheckpoint)
    throw Error(f.source + ": not an nnplay checkpoint (a model file has no optimizer state to resume from)");

  // Same model, same settings: otherwise "resuming" would silently train something else.
  ModelArchitecture arch = model_architecture(f);
  const ModelSpec& have = model.spec();
  if (!arch.spec.same_architecture(have))
    throw Error(f.source + ": the checkpoint holds a " + arch.spec.describe() + " model but this run builds " +
                have.describe());
  expect_same(f, kOptName, run.optimizer.name, "optimizer");
  expect_same(f, kOptLr, float_str(run.optimizer.lr), "learning rate");
  expect_same(f, kOptMomentum, float_str(run.optimizer.momentum), "momentum");
  expect_same(f, kOptWeightDecay, float_str(run.optimizer.weight_decay), "weight decay");
  expect_same(f, kBatch, std::to_string(run.batch), "batch size");
  expect_same(f, kSeed, std::to_string(run.seed), "seed");
  expect_same(f, kTrainCount, std::to_string(run.train_count), "training images");

  const int epoch = int(field_u64(f, kEpoch, 100'000'000));
  const Rng::State rs{field_u64(f, kRngState, std::numeric_limits<uint64_t>::max()),
                      field_u64(f, kRngInc, std::numeric_limits<uint64_t>::max())};
  if (!(rs.inc & 1u)) throw Error(f.source + ": checkpoint metadata 'loader.rng_inc' must be odd");
  Rng::State dropout_state{0, 1};
  if (model.has_dropout()) {
    dropout_state = {field_u64(f, kDropoutRngState, std::numeric_limits<uint64_t>::max()),
                     field_u64(f, kDropoutRngInc, std::numeric_limits<uint64_t>::max())};
    if (!(dropout_state.inc & 1u)) throw Error(f.source + ": checkpoint metadata 'dropout.rng_inc' must be odd");
  }

  // Check the optimizer's part of the file completely before changing anything.
  const int64_t total = model.parameters().total();
  auto* sgd = dynamic_cast<Sgd*>(&optimizer);
  auto* adam = dynamic_cast<Adam*>(&optimizer);
  if (!sgd && !adam) throw Error("restore_checkpoint: unsupported optimizer " + optimizer.describe());
  if ((sgd && run.optimizer.name != "sgd") || (adam && run.optimizer.name != "adam"))
    throw Error("restore_checkpoint: the optimizer does not match the run settings (" + run.optimizer.name + ")");
  const StTensor *momentum = nullptr, *exp_avg = nullptr, *exp_avg_sq = nullptr;
  bool first_step = true;
  long step = 0;
  if (sgd) {
    const std::string& fs = field(f, kSgdFirstStep);
    if (fs != "true" && fs != "false")
      throw Error(f.source + ": checkpoint metadata 'optimizer.first_step' must be true or false, got '" + fs + "'");
    first_step = fs == "true";
    if (sgd->momentum_buffer().numel() != 0) momentum = &state_tensor(f, kMomentum, total);
  } else {
    step = long(field_u64(f, kAdamStep, uint64_t(std::numeric_limits<long>::max())));
    exp_avg = &state_tensor(f, kExpAvg, total);
    exp_avg_sq = &state_tensor(f, kExpAvgSq, total);
  }
  for (const StTensor& t : f.tensors) {
    const bool known = t.name == kMomentum || t.name == kExpAvg || t.name == kExpAvgSq;
    if (t.name.rfind(kReservedPrefix, 0) == 0 && !known)
      throw Error(f.source + ": unexpected training-state tensor '" + t.name + "'");
    if (known && &t != momentum && &t != exp_avg && &t != exp_avg_sq)
      throw Error(f.source + ": tensor '" + t.name + "' belongs to a different optimizer than " + run.optimizer.name);
  }

  load_parameters(f, arch, model);  // checks every tensor before copying any
  if (sgd) {
    sgd->set_first_step(first_step);
    if (momentum) sgd->momentum_buffer().from_host(momentum->values);
  } else {
    adam->set_step_count(step);
    adam->first_moment().from_host(exp_avg->values);
    adam->second_moment().from_host(exp_avg_sq->values);
  }
  loader.set_rng_state(rs);
  if (model.has_dropout()) model.dropout_rng().set_state(dropout_state);
  return epoch;
}

int restore_checkpoint(const std::string& path, Sequential& model, Optimizer& optimizer, BatchLoader& loader,
                       const RunSettings& run) {
  return restore_checkpoint(read_safetensors(path), model, optimizer, loader, run);
}

}  // namespace nnplay
