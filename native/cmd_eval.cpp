// `nnplay-train eval`: loads any compatible weights file (nnplay's, a checkpoint, or a
// PyTorch state_dict saved as safetensors), evaluates it on a test set, prints accuracy
// and the confusion matrix, and says whether the file's recorded proof is reproduced.
#include <fmt/core.h>

#include <map>
#include <memory>
#include <optional>

#include "commands.h"
#include "nnplay/dataset.h"
#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/model_file.h"
#include "nnplay/proof.h"

namespace nnplay::cli {

namespace {

struct EvalOptions {
  std::string weights;
  std::string data = "data/mnist";
  std::optional<std::string> activation;
  std::optional<std::string> layers;
  int threads = 1;
};

std::string metadata_or(const Metadata& m, const char* key, const std::string& fallback) {
  auto it = m.find(key);
  return it == m.end() ? fallback : it->second;
}

void print_confusion(const ConfusionMatrix& cm) {
  fmt::print("Confusion matrix (rows: true class, columns: predicted class):\n      ");
  for (int p = 0; p < cm.classes; ++p) fmt::print("{:>6}", p);
  fmt::print("\n");
  for (int t = 0; t < cm.classes; ++t) {
    fmt::print("{:>6}", t);
    for (int p = 0; p < cm.classes; ++p) fmt::print("{:>6}", cm.at(t, p));
    fmt::print("\n");
  }
}

void run_eval(const EvalOptions& o) {
  std::optional<Activation> hidden;
  if (o.activation) hidden = parse_activation(*o.activation);

  StFile file = read_safetensors(o.weights);
  // A layer list needs the image size, so the test set is read first then; otherwise a
  // bad weights file is reported before the data is touched.
  Dataset test;
  std::optional<ModelSpec> given;
  if (o.layers) {
    test = load_idx_dataset(o.data, Split::Test);
    given = ModelSpec::from_layers(*o.layers, {1, test.rows, test.cols});
  }
  auto backend = make_cpu_backend(o.threads);
  LoadedModel lm = load_model(*backend, file, hidden, given);
  Sequential& model = *lm.model;

  std::map<std::string, int> dtypes;
  for (const StTensor& t : file.tensors) ++dtypes[t.dtype];
  std::string dtype_list;
  for (const auto& [d, n] : dtypes) {
    if (!dtype_list.empty()) dtype_list += ", ";
    dtype_list += fmt::format("{} {}", n, d);
  }
  fmt::print("Weights: {} ({} tensors: {})\n", o.weights, file.tensors.size(), dtype_list);
  fmt::print("Model: {} ({} parameters): {}\n", model.spec().describe(), model.parameters().total(),
             model_metadata(model.spec()).at(meta::kLayers));
  fmt::print("  {}\n", lm.arch.note);
  if (model.spec().is_layer_list())
    fmt::print("  {:.2f} MFLOPs per image (forward)\n", double(model_cost(model.spec()).flops) / 1e6);
  if (metadata_or(lm.metadata, meta::kFormat, "") == meta::kFormatCheckpoint)
    fmt::print("  (a training checkpoint after epoch {})\n", metadata_or(lm.metadata, "checkpoint.epoch", "?"));
  if (lm.metadata.count("dataset"))
    fmt::print("Trained on {} for {} epochs with {}, seed {} (nnplay {})\n", lm.metadata.at("dataset"),
               metadata_or(lm.metadata, "epochs", "?"), metadata_or(lm.metadata, "optimizer", "?"),
               metadata_or(lm.metadata, "seed", "?"), metadata_or(lm.metadata, meta::kVersion, "?"));

  if (!o.layers) test = load_idx_dataset(o.data, Split::Test);
  fmt::print("Test set: {} images of {}x{} from {}\n", test.count, test.rows, test.cols, o.data);
  // One pass gives the confusion matrix and the proof's logits.
  EvalResult ev = evaluate_classifier(model, test, kProofImages);
  ProofCheck proof = compare_proof(lm.metadata, o.weights, proof_of(ev, ev.confusion.classes));
  fmt::print("Accuracy: {:.4f} ({}/{} correct)\n", ev.accuracy, ev.confusion.correct(), ev.confusion.total());
  print_confusion(ev.confusion);
  fmt::print("Proof: {}\n", proof.summary());
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* sub = app.add_subcommand(
      "eval", "Evaluate a weights file (nnplay's, a checkpoint, or PyTorch's as safetensors) on a test set");
  sub->add_option("--weights", o->weights, "The .safetensors file")->required();
  sub->add_option("--data", o->data, "Folder with the IDX test files, raw or .gz")->capture_default_str();
  sub->add_option("--activation", o->activation,
                  "Hidden activation to use (files without nnplay metadata do not record it: relu assumed)");
  sub->add_option("--layers", o->layers,
                  "The layer list of a convolutional network saved by PyTorch (nnplay's files record theirs), "
                  "e.g. conv5x5x16,pool2,fc10");
  sub->add_option("--threads", o->threads, "CPU threads")->check(CLI::Range(1, 256))->capture_default_str();
  sub->callback([o] { run_eval(*o); });
}

}  // namespace nnplay::cli
