// Forward-only evaluation of a classifier, and the recorded / recomputed proof of a model
// file (test accuracy and first logits), stored as JSON in the file's metadata.
#include "nnplay/proof.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "nnplay/error.h"

namespace nnplay {

EvalResult evaluate_classifier(Sequential& model, const Dataset& data, int keep) {
  if (data.dim() != model.in_features())
    throw Error("model takes " + std::to_string(model.in_features()) + " inputs but " + data.name + " has " +
                std::to_string(data.dim()) + " pixels per image");
  if (model.out_features() != data.classes)
    throw Error("model gives " + std::to_string(model.out_features()) + " outputs but " + data.name + " has " +
                std::to_string(data.classes) + " classes");
  // The batch size is fixed so that every evaluation of a file runs the same kernels on
  // the same shapes: the logits are then comparable bit for bit on one machine.
  BatchLoader loader(model.backend(), data, kProofBatch, /*shuffle=*/false, /*drop_last=*/false, 0);
  return Evaluator(model, loader, LossKind::CrossEntropy, keep).run();
}

Proof proof_of(const EvalResult& eval, int classes) {
  Proof p;
  p.count = eval.confusion.total();
  p.correct = eval.confusion.correct();
  p.classes = classes;
  p.logits = eval.first_outputs;
  return p;
}

Proof compute_proof(Sequential& model, const Dataset& test) {
  return proof_of(evaluate_classifier(model, test, kProofImages), int(model.out_features()));
}

std::string proof_to_json(const Proof& p) {
  nlohmann::ordered_json j;
  j["count"] = p.count;
  j["correct"] = p.correct;
  j["accuracy"] = p.accuracy();
  j["classes"] = p.classes;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t r = 0; p.classes > 0 && r < p.logits.size() / size_t(p.classes); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    // Nine significant digits identify a float exactly; going through that decimal keeps
    // nlohmann from printing the 17 digits of the float's double value.
    for (int c = 0; c < p.classes; ++c) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g", double(p.logits[r * size_t(p.classes) + size_t(c)]));
      row.push_back(std::strtod(buf, nullptr));
    }
    rows.push_back(row);
  }
  j["first_logits"] = rows;
  return j.dump();
}

Proof proof_from_json(const std::string& text, const std::string& source) {
  const std::string where = source + ": metadata '" + kProofKey + "'";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + " is not valid JSON: " + e.what());
  }
  auto count_field = [&](const char* name, uint64_t max) -> int64_t {
    if (!j.is_object() || !j.contains(name) || !j[name].is_number_unsigned() || j[name].get<uint64_t>() > max)
      throw Error(where + ": '" + name + "' must be an integer in [0, " + std::to_string(max) + "]");
    return int64_t(j[name].get<uint64_t>());
  };
  Proof p;
  p.count = count_field("count", uint64_t(1) << 40);
  p.correct = count_field("correct", uint64_t(p.count));
  p.classes = int(count_field("classes", 1 << 20));
  if (!j.contains("first_logits") || !j["first_logits"].is_array())
    throw Error(where + ": 'first_logits' must be an array of rows");
  const nlohmann::json& rows = j["first_logits"];
  if (int64_t(rows.size()) != std::min<int64_t>(kProofImages, p.count))
    throw Error(where + ": 'first_logits' has " + std::to_string(rows.size()) + " rows, expected " +
                std::to_string(std::min<int64_t>(kProofImages, p.count)));
  for (const auto& row : rows) {
    if (!row.is_array() || int64_t(row.size()) != p.classes)
      throw Error(where + ": every row of 'first_logits' must hold " + std::to_string(p.classes) + " numbers");
    for (const auto& v : row) {
      if (!v.is_number() || !std::isfinite(v.get<double>()))
        throw Error(where + ": 'first_logits' holds " + v.dump() + ", not a finite number");
      p.logits.push_back(float(v.get<double>()));
    }
  }
  return p;
}

ProofCheck check_proof(const Metadata& metadata, const std::string& source, Sequential& model, const Dataset& test) {
  return compare_proof(metadata, source, compute_proof(model, test));
}

ProofCheck compare_proof(const Metadata& metadata, const std::string& source, const Proof& actual) {
  ProofCheck c;
  auto it = metadata.find(kProofKey);
  if (it != metadata.end()) {
    c.expected = proof_from_json(it->second, source);
    c.recorded = true;
  }
  c.actual = actual;
  if (!c.recorded) return c;
  c.accuracy_equal = c.expected.count == c.actual.count && c.expected.correct == c.actual.correct;
  if (c.expected.classes == c.actual.classes && c.expected.logits.size() == c.actual.logits.size()) {
    for (size_t i = 0; i < c.actual.logits.size(); ++i)
      c.max_logit_diff = std::max(c.max_logit_diff, std::fabs(c.expected.logits[i] - c.actual.logits[i]));
    c.logits_equal = c.max_logit_diff <= kProofLogitTolerance;
  } else {
    c.max_logit_diff = INFINITY;
  }
  return c;
}

std::string ProofCheck::summary() const {
  char buf[512];
  if (!recorded) {
    std::snprintf(buf, sizeof buf, "no proof recorded in the file; here: %lld/%lld correct",
                  static_cast<long long>(actual.correct), static_cast<long long>(actual.count));
    return buf;
  }
  if (expected.count != actual.count) {
    std::snprintf(buf, sizeof buf, "NOT reproduced: the proof was recorded on %lld test images, this test set has %lld",
                  static_cast<long long>(expected.count), static_cast<long long>(actual.count));
    return buf;
  }
  std::snprintf(buf, sizeof buf,
                "%s: recorded %lld/%lld correct, here %lld/%lld (%s); first %d logits differ by at most %.3g "
                "(tolerance %.0e: %s)",
                reproduced() ? "reproduced" : "NOT reproduced", static_cast<long long>(expected.correct),
                static_cast<long long>(expected.count), static_cast<long long>(actual.correct),
                static_cast<long long>(actual.count), accuracy_equal ? "same" : "different",
                int(actual.logits.size() / size_t(std::max(actual.classes, 1))), double(max_logit_diff),
                double(kProofLogitTolerance), logits_equal ? "same" : "different");
  return buf;
}

}  // namespace nnplay
