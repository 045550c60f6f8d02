// The MNIST panel's JSON state and status line, from the same snapshot the panel draws.
// The JSON is for tests and keeps its English; the status line is read aloud to the user,
// so it is in the language shown.
#include "mnist/mnist_report.h"

#include <cmath>
#include <cstdio>

#include "mnist/mnist_actions.h"
#include "mnist/mnist_model.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

const char* data_state_name(MnistDataLoader::State s) {
  switch (s) {
    case MnistDataLoader::State::Idle: return "idle";
    case MnistDataLoader::State::Loading: return "loading";
    case MnistDataLoader::State::Ready: return "ready";
    case MnistDataLoader::State::Failed: return "failed";
  }
  return "?";
}

std::vector<float> probs(const DigitProbabilities& p) { return std::vector<float>(p.begin(), p.end()); }

void write_pad(JsonWriter& j, const MnistState& m) {
  const DrawingPad& pad = m.pad;
  // The ink's extent in the 28×28 image (rows and columns holding any ink).
  int r0 = 28, r1 = -1, c0 = 28, c1 = -1;
  float ink = 0;
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const float v = pad.image[size_t(r) * 28 + size_t(c)];
      ink += v;
      if (v > 0.0f) {
        r0 = std::min(r0, r), r1 = std::max(r1, r);
        c0 = std::min(c0, c), c1 = std::max(c1, c);
      }
    }
  const CentreOfMass com = centre_of_mass(pad.image.data(), 28, 28);
  const bool ready = m.predictor.ready() && ink > 0;
  j.key("pad").begin_object();
  j.field("rect", std::vector<float>(m.pad_rect, m.pad_rect + 4));
  j.field("strokes", int64_t(pad.strokes.size())).field("points", int64_t(pad.points()));
  j.field("test_index", pad.test_index).field("brush", pad.radius).field("ink", ink);
  j.field("rows", std::vector<int>{r0, r1}).field("cols", std::vector<int>{c0, c1});
  j.field("mass", std::vector<float>{com.x, com.y});
  j.field("scale", pad.transform.scale);
  j.field("prediction", ready ? argmax(m.pad_probs) : -1);
  const std::array<int, 3> top = top3(m.pad_probs);
  j.field("top3", ready ? std::vector<int>(top.begin(), top.end()) : std::vector<int>{});
  j.field("probabilities", probs(m.pad_probs));
  j.field("latency_ms", m.pad_latency_ms).field("preprocess_ms", pad.preprocess_ms);
  j.field("image", pad.image);
  j.end_object();
}

void write_proof(JsonWriter& j, const MnistSnapshot* s) {
  j.key("proof").begin_object();
  const bool checked = s && s->proof.has_value();
  j.field("pending", s ? s->proof_pending : false).field("checked", checked);
  if (checked) {
    const ProofCheck& p = *s->proof;
    j.field("recorded", p.recorded).field("reproduced", p.reproduced()).field("accuracy_equal", p.accuracy_equal);
    j.field("max_logit_diff", double(p.max_logit_diff));
    j.field("expected_correct", p.expected.correct).field("expected_count", p.expected.count);
    j.field("actual_correct", p.actual.correct).field("actual_count", p.actual.count);
    j.field("summary", p.summary());
  }
  j.end_object();
}

// A CNN's filters and the pad's feature maps, as the panel shows them: counts and shapes,
// and each layer's total activation (which changes as the digit does).
void write_cnn(JsonWriter& j, const MnistState& m) {
  Shape shape;
  const float* w = m.predictor.first_filters(shape);
  j.key("cnn").begin_object();
  j.field("filters", w ? int64_t(shape[0]) : int64_t(0));
  j.field("filter_shape", w ? std::vector<int64_t>(shape.begin(), shape.end()) : std::vector<int64_t>{});
  j.key("feature_maps").begin_array();
  for (const FeatureMaps& f : m.pad_maps) {
    float sum = 0;
    for (float v : f.values) sum += v;
    j.begin_object().field("layer", f.layer).field("shape", std::vector<int>{f.channels, f.height, f.width});
    j.field("sum", sum).end_object();
  }
  j.end_array();
  j.end_object();
}

std::string model_text(const ModelSpec& spec) { return spec.is_layer_list() ? spec.layers : format_layers(spec.sizes); }

}  // namespace

void write_mnist_state(JsonWriter& j, const MnistPanel& panel) {
  const MnistState& m = panel.state;
  auto snap = m.runner ? m.runner->snapshot() : nullptr;
  const MnistSnapshot* s = snap.get();
  j.key("mnist").begin_object();
  j.field("started", m.started).field("message", m.message).field("error", m.error);
  auto data = m.loader.data();
  j.key("data").begin_object();
  j.field("state", data_state_name(m.loader.state())).field("progress", m.loader.progress());
  j.field("source", data ? data->source : "").field("error", m.loader.error());
  j.field("train_loaded", data ? data->train.count : int64_t(0))
      .field("test_loaded", data ? data->test.count : int64_t(0));
  j.end_object();
  j.field("layers", s ? model_text(s->config.spec) : format_mnist_model(panel.s));
  j.field("activation", activation_name(s ? s->config.spec.hidden : panel.s.activation));
  j.field("origin", s ? s->origin : "").field("pristine", s ? s->pristine : true);
  j.field("device", s ? s->device : "").field("device_note", s ? s->device_note : "");
  j.field("optimizer", s ? s->config.optimizer.name : "").field("lr", s ? s->lr : NAN);
  j.field("batch", s ? s->config.batch : 0).field("train_count", s ? s->train_count : int64_t(0));
  j.field("test_count", s ? s->test_count : int64_t(0));
  j.field("running", s ? s->running : false).field("train_error", s ? s->error : "");
  j.field("epoch", s ? s->epoch : 0).field("max_epochs", s ? s->config.max_epochs : 0);
  j.field("step", s ? s->step : int64_t(0)).field("steps_per_epoch", s ? s->steps_per_epoch : int64_t(0));
  j.field("images_trained", s ? s->images_trained : int64_t(0));
  j.field("images_per_second", s ? s->images_per_second : 0.0).field("eta_seconds", s ? s->eta_seconds : -1.0);
  j.field("recent_loss", s ? s->recent_loss : NAN).field("recent_accuracy", s ? s->recent_accuracy : NAN);
  j.field("epoch_costs", s ? s->epoch_costs : std::vector<double>{});
  j.field("epoch_seconds", s ? s->epoch_seconds : std::vector<double>{});
  j.field("loss_points", int64_t(s ? s->train_loss.x.size() : 0));
  const MnistEval* e = s && s->eval ? s->eval.get() : nullptr;
  j.field("evaluating", s ? s->evaluating : false);
  j.field("test_acc", e ? e->accuracy : NAN).field("test_loss", e ? e->loss : NAN);
  j.field("eval_count", e ? e->count : int64_t(0)).field("eval_at_epoch", e ? e->at_epoch : NAN);
  j.key("confusion").begin_array();
  for (int t = 0; e && t < 10; ++t) {
    std::vector<int64_t> row;
    for (int p = 0; p < 10; ++p) row.push_back(e->confusion.at(t, p));
    j.value(row);
  }
  j.end_array();
  j.field("confusion_total", e ? e->confusion.total() : int64_t(0));
  j.field("misclassified", e ? e->count - e->correct : int64_t(0));
  j.field("confusion_cell", std::vector<int>{m.confusion_truth, m.confusion_pred});
  write_proof(j, s);
  j.field("weights_loaded", m.loaded ? m.loaded->source : "");
  j.field("waiting_for_page_weights", m.waiting_for_page_weights);
  j.field("open_weights_rect", std::vector<float>(m.open_rect, m.open_rect + 4));
  write_pad(j, m);
  write_cnn(j, m);
  j.key("sample").begin_object();
  const bool has_sample = s && s->data && m.sample >= 0 && m.sample < s->data->test.count;
  j.field("index", m.sample).field("label", has_sample ? int(s->data->test.labels[size_t(m.sample)]) : -1);
  j.field("prediction", has_sample && m.predictor.ready() ? argmax(m.sample_probs) : -1);
  j.field("probabilities", probs(m.sample_probs));
  j.end_object();
  std::vector<int> labels;
  for (const PersonalSample& p : m.personal.samples) labels.push_back(p.label);
  j.key("personal").begin_object().field("count", int64_t(labels.size())).field("labels", labels).end_object();
  j.key("finetune").begin_object();
  j.field("left", s ? s->finetune_left : 0).field("done", s ? s->finetune_done : 0);
  j.field("loss", s ? s->finetune_loss : NAN);
  j.end_object();
  j.field("downloads", m.downloads);
  j.end_object();
}

std::string mnist_status_line(const MnistPanel& panel) {
  const MnistState& m = panel.state;
  auto s = m.runner ? m.runner->snapshot() : nullptr;
  if (!s) return tr("MNIST: not started");
  const MnistEval* e = s->eval.get();
  char acc[32], loss[32];
  std::snprintf(acc, sizeof acc, "%s", tr("not measured yet"));
  if (e) std::snprintf(acc, sizeof acc, "%.4f", e->accuracy);
  std::snprintf(loss, sizeof loss, "%s", tr("not trained yet"));
  if (std::isfinite(s->recent_loss)) std::snprintf(loss, sizeof loss, "%.4g", double(s->recent_loss));
  std::string line = trf("MNIST %s: epoch %d of %d, loss %s, test accuracy %s", model_text(s->config.spec).c_str(),
                         s->epoch, s->config.max_epochs, loss, acc);
  if (s->running) line += tr(", training");
  if (m.predictor.ready() && m.pad.strokes.size() + (m.pad.test_index >= 0) > 0) {
    const int d = argmax(m.pad_probs);
    line += trf("; drawing classified as %d (%.0f%%)", d, double(m.pad_probs[size_t(d)]) * 100.0);
  }
  return line;
}

}  // namespace nnplay::ui
