// Model files: PyTorch state_dict names, nnplay metadata, architecture inference for files
// without it, one clear error for every mismatch, and the recorded proof (test accuracy
// and first logits) reproducing, including for the committed default MNIST model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <tuple>

#include "nnplay/model_file.h"
#include "nnplay/proof.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

StFile file_of(const std::vector<StTensorRef>& tensors, const Metadata& meta = {}) {
  auto bytes = serialize_safetensors(tensors, meta);
  return parse_safetensors(bytes.data(), bytes.size(), "model.safetensors");
}

// A file the way PyTorch would write a state_dict: names and shapes, no metadata.
struct TorchLike {
  std::vector<std::vector<float>> store;
  std::vector<StTensorRef> refs;
  void add(const std::string& name, const Shape& shape, float start = 0.1f) {
    std::vector<float> v(size_t(shape_numel(shape)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = start + 0.01f * float(i);
    store.push_back(v);
    refs.push_back({name, shape, nullptr});
  }
  StFile file(const Metadata& meta = {}) {
    for (size_t i = 0; i < refs.size(); ++i) refs[i].data = store[i].data();
    return file_of(refs, meta);
  }
};

std::vector<std::string> names(const StFile& f) {
  std::vector<std::string> out;
  for (const auto& t : f.tensors) out.push_back(t.name);
  return out;
}

void expect_error(const std::function<void()>& fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "expected an error containing '" << part << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("nnplay_mf_" + std::to_string(::getpid()) + "_" + name)).string();
}

}  // namespace

TEST(ModelFile, LinearModelUsesBareLinearNames) {
  auto be = make_cpu_backend();
  Rng rng(5);
  Sequential model(*be, ModelSpec{{784, 10}, Activation::ReLU, Activation::None, true}, rng);
  std::string path = temp_path("linear.safetensors");
  save_model(path, model, {{"epochs", "15"}});
  StFile f = read_safetensors(path);
  EXPECT_EQ(names(f), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(f.find("weight")->shape, (Shape{10, 784}));
  EXPECT_EQ(f.find("bias")->shape, (Shape{10}));
  EXPECT_EQ(f.metadata.at("sizes"), "784-10");
  EXPECT_EQ(f.metadata.at("layers"), "Linear(784, 10)");
  EXPECT_EQ(f.metadata.at("format"), "nnplay-model");
  EXPECT_EQ(f.metadata.at("nnplay_version"), NNPLAY_VERSION);
  EXPECT_EQ(f.metadata.at("epochs"), "15");
  // 31,400 bytes of weights plus a small header.
  EXPECT_GT(fs::file_size(path), 7850u * 4u);
  EXPECT_LT(fs::file_size(path), 7850u * 4u + 1024u);

  LoadedModel back = load_model(*be, path);
  EXPECT_FALSE(back.arch.inferred);
  EXPECT_EQ(back.model->spec().sizes, model.spec().sizes);
  EXPECT_EQ(back.model->parameters().data().to_host(), model.parameters().data().to_host());
  fs::remove(path);
}

TEST(ModelFile, MlpNamesFollowNnSequentialAndActivationsAreRecorded) {
  auto be = make_cpu_backend();
  Rng rng(1);
  ModelSpec spec{{2, 10, 10, 10, 1}, Activation::Tanh, Activation::Sigmoid, true};
  Sequential model(*be, spec, rng);
  StFile f = read_safetensors([&] {
    std::string p = temp_path("xor.safetensors");
    save_model(p, model);
    return p;
  }());
  EXPECT_EQ(names(f), (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                                                "6.weight", "6.bias"}));
  EXPECT_EQ(f.metadata.at("layers"),
            "Linear(2, 10), Tanh, Linear(10, 10), Tanh, Linear(10, 10), Tanh, Linear(10, 1), Sigmoid");
  EXPECT_EQ(f.metadata.at("hidden_activation"), "tanh");
  EXPECT_EQ(f.metadata.at("output_activation"), "sigmoid");

  LoadedModel back = load_model(*be, f);
  EXPECT_EQ(back.model->spec().hidden, Activation::Tanh);
  EXPECT_EQ(back.model->spec().output, Activation::Sigmoid);
  Tensor x = test::make_tensor(*be, {4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
  EXPECT_EQ(back.model->forward(x).to_host(), model.forward(x).to_host());
  fs::remove(f.source);
}

TEST(ModelFile, PyTorchStateDictIsInferredAndComputesTheRightValues) {
  // nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2)) with hand-picked weights.
  std::vector<float> w0 = {1, -1, 0.5f, 2, -3, 1}, b0 = {0.5f, 0, -1}, w1 = {1, 2, 3, -1, 0, 1}, b1 = {0.25f, -0.25f};
  StFile f = file_of({{"0.weight", {3, 2}, w0.data()}, {"0.bias", {3}, b0.data()},
                      {"2.weight", {2, 3}, w1.data()}, {"2.bias", {2}, b1.data()}});
  auto be = make_cpu_backend();
  LoadedModel m = load_model(*be, f);
  EXPECT_TRUE(m.arch.inferred);
  EXPECT_EQ(m.model->spec().sizes, (std::vector<int64_t>{2, 3, 2}));
  EXPECT_EQ(m.model->spec().hidden, Activation::ReLU);
  EXPECT_NE(m.arch.note.find("hidden activation relu assumed"), std::string::npos) << m.arch.note;
  EXPECT_NE(m.arch.note.find("linear output"), std::string::npos) << m.arch.note;

  // x = (1, 2): h = relu(1-2+0.5, 0.5+4+0, -3+2-1) = (0, 4.5, 0); y = (9+0.25, 0-0.25)
  Tensor x = test::make_tensor(*be, {1, 2}, {1, 2});
  std::vector<float> y = m.model->forward(x).to_host();
  EXPECT_FLOAT_EQ(y[0], 9.25f);
  EXPECT_FLOAT_EQ(y[1], -0.25f);

  // The user may say which activation the PyTorch model used.
  LoadedModel t = load_model(*be, f, Activation::Tanh);
  EXPECT_EQ(t.model->spec().hidden, Activation::Tanh);
  EXPECT_NE(t.arch.note.find("hidden activation set to tanh"), std::string::npos) << t.arch.note;
  std::vector<float> yt = t.model->forward(x).to_host();
  float h0 = std::tanh(-0.5f), h1 = std::tanh(4.5f), h2 = std::tanh(-2.0f);
  EXPECT_NEAR(yt[0], h0 + 2 * h1 + 3 * h2 + 0.25f, 1e-6);
  EXPECT_NEAR(yt[1], -h0 + h2 - 0.25f, 1e-6);
}

TEST(ModelFile, InferenceHandlesTheOtherPyTorchLayouts) {
  auto be = make_cpu_backend();
  {  // a bare nn.Linear
    TorchLike t;
    t.add("weight", {10, 784});
    t.add("bias", {10});
    LoadedModel m = load_model(*be, t.file());
    EXPECT_EQ(m.model->spec().sizes, (std::vector<int64_t>{784, 10}));
    EXPECT_EQ(m.model->parameters().data().to_host()[0], 0.1f);
  }
  {  // nn.Sequential holding one Linear: "0.weight" maps to the model's "weight"
    TorchLike t;
    t.add("0.weight", {3, 4});
    t.add("0.bias", {3}, 5.0f);
    LoadedModel m = load_model(*be, t.file());
    EXPECT_EQ(m.model->spec().sizes, (std::vector<int64_t>{4, 3}));
    EXPECT_EQ(m.model->parameters().data().to_host()[12], 5.0f);
  }
  {  // nn.Sequential(nn.Flatten(), nn.Linear, nn.ReLU, nn.Linear): indices start at 1
    TorchLike t;
    t.add("1.weight", {5, 4});
    t.add("1.bias", {5});
    t.add("3.weight", {2, 5});
    t.add("3.bias", {2});
    LoadedModel m = load_model(*be, t.file());
    EXPECT_EQ(m.model->spec().sizes, (std::vector<int64_t>{4, 5, 2}));
    EXPECT_NE(m.arch.note.find("skipped"), std::string::npos) << m.arch.note;
  }
  {  // no biases at all
    TorchLike t;
    t.add("0.weight", {5, 4});
    t.add("2.weight", {2, 5});
    LoadedModel m = load_model(*be, t.file());
    EXPECT_FALSE(m.model->spec().bias);
    EXPECT_EQ(m.model->parameters().total(), 30);
  }
}

TEST(ModelFile, InferenceRefusesWhatIsNotAChainOfLinearLayers) {
  auto arch_of = [](TorchLike& t) { return [&t] { model_architecture(t.file()); }; };
  TorchLike chain;
  chain.add("0.weight", {5, 4});
  chain.add("2.weight", {2, 6});
  expect_error(arch_of(chain), "do not chain");
  TorchLike adjacent;
  adjacent.add("0.weight", {5, 4});
  adjacent.add("1.weight", {2, 5});
  expect_error(arch_of(adjacent), "not separated by exactly one module");
  TorchLike named;
  named.add("fc1.weight", {5, 4});
  expect_error(arch_of(named), "tensor 'fc1.weight' is not a Linear parameter");
  TorchLike conv;
  conv.add("0.weight", {8, 1, 3, 3});
  expect_error(arch_of(conv), "a convolutional network cannot be inferred");  // needs --layers
  TorchLike bias_only;
  bias_only.add("0.bias", {5});
  expect_error(arch_of(bias_only), "has a bias but no weight");
  TorchLike mixed;
  mixed.add("0.weight", {5, 4});
  mixed.add("0.bias", {5});
  mixed.add("2.weight", {2, 5});
  expect_error(arch_of(mixed), "some Linear layers have a bias");
  TorchLike wrong_bias;
  wrong_bias.add("weight", {5, 4});
  wrong_bias.add("bias", {4});
  expect_error(arch_of(wrong_bias), "bias has shape [4]");
  TorchLike both;
  both.add("weight", {5, 4});
  both.add("0.weight", {5, 4});
  expect_error(arch_of(both), "mixes a bare");
  TorchLike empty;
  expect_error(arch_of(empty), "holds no weights");
  TorchLike zero;
  zero.add("weight", {0, 4});
  expect_error(arch_of(zero), "empty shape");
  TorchLike ok;
  ok.add("0.weight", {5, 4});
  ok.add("2.weight", {2, 5});
  expect_error([&] { model_architecture(ok.file(), Activation::None); }, "cannot be none");
}

TEST(ModelFile, MetadataAndTensorsMustAgree) {
  auto be = make_cpu_backend();
  Metadata meta = model_metadata(ModelSpec{{4, 3}, Activation::ReLU, Activation::None, true});
  {
    TorchLike t;  // right count (15 values), wrong name for the bias
    t.add("weight", {3, 4});
    t.add("0.bias", {3});
    expect_error([&] { load_model(*be, t.file(meta)); }, "missing tensor 'bias'");
  }
  {
    TorchLike t;  // transposed weight
    t.add("weight", {4, 3});
    t.add("bias", {3});
    expect_error([&] { load_model(*be, t.file(meta)); }, "tensor 'weight' has shape [4, 3] but the model 4-3 needs [3, 4]");
  }
  {
    TorchLike t;  // metadata says 4-3, the tensors are something else
    t.add("weight", {3, 5});
    t.add("bias", {3});
    expect_error([&] { load_model(*be, t.file(meta)); }, "metadata describes 4-3 (15 parameters) but the file holds 18");
  }
  {
    TorchLike t;  // forged sizes: refused from the counts, nothing huge allocated
    t.add("weight", {3, 4});
    Metadata forged = meta;
    forged["sizes"] = "999999999-999999999-999999999";
    expect_error([&] { load_model(*be, t.file(forged)); }, "metadata describes 999999999-999999999-999999999");
    forged["sizes"] = "999999999-999999999-999999999-999999999-999999999";
    expect_error([&] { load_model(*be, t.file(forged)); }, "(too many parameters)");
  }
  for (auto [key, value, part] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"sizes", "4-x", "layer sizes"},
           {"hidden_activation", "swish", "unknown activation 'swish'"},
           {"bias", "maybe", "'bias' must be true or false"}}) {
    TorchLike t;
    t.add("weight", {3, 4});
    t.add("bias", {3});
    Metadata bad = meta;
    bad[key] = value;
    expect_error([&] { load_model(*be, t.file(bad)); }, part);
  }
  {
    TorchLike t;
    t.add("weight", {3, 4});
    t.add("bias", {3});
    Metadata partial = meta;
    partial.erase("output_activation");
    expect_error([&] { load_model(*be, t.file(partial)); }, "lacks 'output_activation'");
  }
}

TEST(ModelFile, AFailedLoadLeavesTheModelUnchanged) {
  auto be = make_cpu_backend();
  Rng rng(3);
  Sequential model(*be, ModelSpec{{4, 3}, Activation::ReLU, Activation::None, true}, rng);
  const std::vector<float> before = model.parameters().data().to_host();
  TorchLike t;
  t.add("weight", {3, 4});
  t.add("bias", {3});
  t.add("extra", {2});
  StFile f = t.file();
  ModelArchitecture arch;  // the model's own names
  expect_error([&] { load_parameters(f, arch, model); }, "unexpected tensor 'extra'");
  EXPECT_EQ(model.parameters().data().to_host(), before);
}

// ---------------------------------------------------------------------------------------
// Proofs

namespace {

Dataset small_dataset(int64_t n) {
  Dataset d;
  d.name = "small";
  d.count = n;
  d.rows = 2;
  d.cols = 2;
  d.classes = 3;
  Rng rng(11);
  for (int64_t i = 0; i < n * 4; ++i) d.images.push_back(uint8_t(rng.below(256)));
  for (int64_t i = 0; i < n; ++i) d.labels.push_back(uint8_t(rng.below(3)));
  return d;
}

}  // namespace

TEST(Proof, RecordsAccuracyAndFirstLogitsAndReproducesThem) {
  auto be = make_cpu_backend();
  Rng rng(2);
  Sequential model(*be, ModelSpec{{4, 3}, Activation::ReLU, Activation::None, true}, rng);
  Dataset data = small_dataset(1500);  // two evaluation batches
  Proof p = compute_proof(model, data);
  EXPECT_EQ(p.count, 1500);
  EXPECT_EQ(p.classes, 3);
  ASSERT_EQ(p.logits.size(), size_t(kProofImages) * 3);

  // The same numbers by hand: logits of the first images, and the correct count.
  std::vector<float> w = model.parameters().data().to_host();
  int64_t correct = 0;
  for (int64_t i = 0; i < data.count; ++i) {
    float best = -INFINITY;
    int arg = 0;
    for (int c = 0; c < 3; ++c) {
      float z = w[12 + size_t(c)];
      for (int k = 0; k < 4; ++k) z += w[size_t(c * 4 + k)] * (float(data.images[size_t(i * 4 + k)]) / 255.0f);
      if (i < kProofImages) {
        EXPECT_NEAR(p.logits[size_t(i * 3 + c)], z, 1e-6);
      }
      if (z > best) best = z, arg = c;
    }
    correct += arg == data.labels[size_t(i)];
  }
  EXPECT_EQ(p.correct, correct);

  // JSON round trip is exact, and a check against the same model reproduces.
  std::string json = proof_to_json(p);
  Proof back = proof_from_json(json, "m");
  EXPECT_EQ(back.count, p.count);
  EXPECT_EQ(back.correct, p.correct);
  EXPECT_EQ(std::memcmp(back.logits.data(), p.logits.data(), p.logits.size() * 4), 0);
  ProofCheck ok = check_proof({{kProofKey, json}}, "m", model, data);
  EXPECT_TRUE(ok.reproduced()) << ok.summary();
  EXPECT_EQ(ok.max_logit_diff, 0.0f);
  EXPECT_EQ(ok.summary().rfind("reproduced:", 0), 0u) << ok.summary();

  // A changed weight is caught by the logits.
  std::vector<float> changed = w;
  changed[0] += 1e-2f;
  model.parameters().data().from_host(changed);
  ProofCheck bad = check_proof({{kProofKey, json}}, "m", model, data);
  EXPECT_FALSE(bad.reproduced());
  EXPECT_GT(bad.max_logit_diff, kProofLogitTolerance);
  EXPECT_NE(bad.summary().find("NOT reproduced"), std::string::npos) << bad.summary();

  // Another test set cannot reproduce it either, and says so.
  ProofCheck other = check_proof({{kProofKey, json}}, "m", model, small_dataset(100));
  EXPECT_FALSE(other.reproduced());
  EXPECT_NE(other.summary().find("recorded on 1500 test images"), std::string::npos) << other.summary();

  ProofCheck none = check_proof({}, "m", model, data);
  EXPECT_FALSE(none.recorded);
  EXPECT_NE(none.summary().find("no proof recorded"), std::string::npos);
}

TEST(Proof, MalformedProofsAreErrors) {
  for (const char* bad : {"not json", "[]", R"({"count":10,"correct":11,"classes":3,"first_logits":[]})",
                          R"({"count":2,"correct":1,"classes":3,"first_logits":[[1,2,3]]})",
                          R"({"count":1,"correct":1,"classes":3,"first_logits":[[1,2]]})",
                          R"({"count":1,"correct":1,"classes":3,"first_logits":[[1,2,"x"]]})",
                          R"({"count":1,"correct":1,"classes":3})", R"({"count":-1,"correct":0,"classes":3})"}) {
    expect_error([&] { proof_from_json(bad, "f.safetensors"); }, "f.safetensors: metadata 'proof'");
  }
}

TEST(Proof, EvaluationChecksTheModelFitsTheData) {
  auto be = make_cpu_backend();
  Rng rng(2);
  Sequential wide(*be, ModelSpec{{5, 3}, Activation::ReLU, Activation::None, true}, rng);
  expect_error([&] { evaluate_classifier(wide, small_dataset(10)); }, "model takes 5 inputs");
  Sequential four(*be, ModelSpec{{4, 4}, Activation::ReLU, Activation::None, true}, rng);
  expect_error([&] { evaluate_classifier(four, small_dataset(10)); }, "model gives 4 outputs");
}

// ---------------------------------------------------------------------------------------
// The committed default model (assets/models, made by the command in assets/README.md)

TEST(DefaultAsset, MnistLinearReproducesItsRecordedAccuracyAndLogits) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  const std::string path = std::string(NNPLAY_SOURCE_DIR) + "/assets/models/mnist-linear.safetensors";
  auto be = make_cpu_backend();
  LoadedModel m = load_model(*be, path);
  EXPECT_EQ(m.model->spec().sizes, (std::vector<int64_t>{784, 10}));
  EXPECT_EQ(m.metadata.at("epochs"), "15");
  Dataset test = load_idx_dataset(dir, Split::Test);
  ProofCheck c = check_proof(m.metadata, path, *m.model, test);
  ASSERT_TRUE(c.recorded);
  EXPECT_TRUE(c.reproduced()) << c.summary();
  char acc[32];
  std::snprintf(acc, sizeof acc, "%.4f", c.actual.accuracy());
  EXPECT_EQ(m.metadata.at("test_accuracy"), acc);
  EXPECT_GT(c.actual.accuracy(), 0.90);  // the tutorial's model reaches about 92%
}
