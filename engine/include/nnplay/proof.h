// "Proof across targets": a model file records, where it was trained, its test-set
// accuracy and the logits of the first test images. Any other build of the engine (another
// CPU, WebAssembly, CUDA) recomputes both from the file and the same test set and reports
// whether they reproduce: same count of correct images, logits within a small tolerance
// (different summation orders legitimately change the last bits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/safetensors.h"
#include "nnplay/evaluator.h"

namespace nnplay {

constexpr const char* kProofKey = "proof";  // metadata key holding the proof as JSON
constexpr int kProofImages = 16;            // logits are recorded for this many test images
constexpr int64_t kProofBatch = 1000;       // evaluation batch size (fixed: same code path)
// Largest |recorded - recomputed| logit accepted as the same result.
constexpr float kProofLogitTolerance = 1e-4f;

struct Proof {
  int64_t count = 0;    // test images evaluated
  int64_t correct = 0;  // of which predicted right
  int classes = 0;
  std::vector<float> logits;  // min(kProofImages, count) rows of `classes` outputs
  double accuracy() const { return count ? double(correct) / double(count) : 0.0; }
};

// Predictions, accuracy and confusion matrix of a classifier over a whole dataset (the
// Evaluator, in batches of kProofBatch); the outputs of the first `keep` images go to
// EvalResult::first_outputs. (EvalResult::loss is the cross-entropy of the outputs as
// logits.) Throws Error when the model does not fit the data.
EvalResult evaluate_classifier(Sequential& model, const Dataset& data, int keep = 0);

// The proof an evaluation gives (one with keep = kProofImages, in batches of kProofBatch:
// evaluate_classifier, or an Evaluator run in chunks by a page).
Proof proof_of(const EvalResult& eval, int classes);

// Evaluates the model on the test set and records the proof.
Proof compute_proof(Sequential& model, const Dataset& test);

// The proof as the JSON string stored in metadata, and back (Error naming `source` when
// the string is not a well-formed proof).
std::string proof_to_json(const Proof& p);
Proof proof_from_json(const std::string& text, const std::string& source);

struct ProofCheck {
  bool recorded = false;  // the file holds a proof (files from PyTorch do not)
  Proof expected;         // from the file
  Proof actual;           // recomputed here
  bool accuracy_equal = false;
  float max_logit_diff = 0.0f;
  bool logits_equal = false;
  bool reproduced() const { return recorded && accuracy_equal && logits_equal; }
  std::string summary() const;  // one line for the user
};

// Compares a proof computed here with the one recorded in `metadata` (if any; without
// one, `recorded` is false and only `actual` is filled).
ProofCheck compare_proof(const Metadata& metadata, const std::string& source, const Proof& actual);
// compute_proof + compare_proof.
ProofCheck check_proof(const Metadata& metadata, const std::string& source, Sequential& model, const Dataset& test);

}  // namespace nnplay
