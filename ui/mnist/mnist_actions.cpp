// The MNIST panel's state changes: starting up, loading and saving, training commands,
// settings changes and the "mnist.*" test commands. Messages and errors are written in the
// language shown when they happen; the engine's own errors stay as the engine words them.
#include "mnist/mnist_actions.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>
#include <utility>

#include "mnist/mnist_model.h"
#include "mnist/mnist_png.h"
#include "nnplay/atomic_file.h"
#include "nnplay/error.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

// Where the page's glue looks for files to hand to the browser as downloads.
constexpr const char* kPageDownloads = "/downloads";
constexpr const char* kDefaultModel = "assets/models/mnist-linear.safetensors";
constexpr const char* kPageCnn = "models/mnist-cnn.safetensors";  // the site's copy of kMnistDefaultCnn

bool file_exists(const std::string& path) {
  struct stat s;
  return ::stat(path.c_str(), &s) == 0 && S_ISREG(s.st_mode);
}

// A file of assets/models on the desktop: from the working folder, else from the source tree.
std::string default_weights_path(const char* model = kDefaultModel) {
  std::vector<std::string> candidates = {model};
#ifdef NNPLAY_UI_SOURCE_DIR
  candidates.push_back(std::string(NNPLAY_UI_SOURCE_DIR) + "/" + model);
#endif
  for (const std::string& c : candidates)
    if (file_exists(c)) return c;
  return "";
}

int training_threads(const MnistPanel& panel) {
  // The worker thread may use a few cores; the page (and the slices mode) has one.
  if (panel.ui.mode != TrainingMode::WorkerThread) return 1;
  const unsigned hw = std::thread::hardware_concurrency();
  return int(std::clamp(hw, 1u, 4u));
}

bool configure(MnistPanel& panel, const MnistOrigin& origin) {
  MnistState& m = panel.state;
  const std::string err =
      m.runner->configure(mnist_config(panel.s, training_threads(panel)), m.loader.data(), origin);
  if (!err.empty()) {
    m.error = err;
    return false;
  }
  m.origin = origin;
  m.error.clear();
  return true;
}

MnistOrigin random_origin(const MnistPanel& panel) {
  MnistOrigin o;
  o.label = "new model, seed " + std::to_string(panel.s.seed);
  return o;
}

// The current weights as the start of a rebuilt run; a file's proof still applies while
// they are the file's own.
MnistOrigin current_origin(const MnistPanel& panel) {
  const MnistState& m = panel.state;
  auto snap = m.runner->snapshot();
  if (!snap || snap->pristine) return m.origin;
  MnistOrigin o;
  o.label = "the weights trained so far (from " + m.origin.label + ")";
  o.params = std::make_shared<const std::vector<float>>(m.runner->params());
  return o;
}

// Where a file the user saves goes: the path as given (its folder made if need be); in the
// page, a bare file name goes into the download folder, whose files the glue hands to the
// browser as downloads.
std::string output_path(const std::string& path, const char* fallback, bool& download) {
  std::string name = path.empty() ? fallback : path;
  std::error_code ec;
  download = mnist_page_build() && name.find('/') == std::string::npos;
  if (download) {
    std::filesystem::create_directories(kPageDownloads, ec);
    return std::string(kPageDownloads) + "/" + name;
  }
  const std::filesystem::path parent = std::filesystem::path(name).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return name;
}

std::string describe_training(const MnistSnapshot& s) {
  const MnistConfig& c = s.config;
  std::string how = "nnplay MNIST panel: " + c.spec.describe() + ", " + c.optimizer.name + " lr " +
                    format_float(s.lr) + ", batch " + std::to_string(c.batch) + ", " + std::to_string(s.epoch) +
                    " epochs on " + std::to_string(s.train_count) + " images, seed " + std::to_string(c.seed) +
                    ", from " + s.origin;
  if (s.finetune_done > 0) how += ", then " + std::to_string(s.finetune_done) + " fine-tuning steps on drawn digits";
  return how;
}

// The architectures that have a default model in assets/models.
bool tutorial_model(const MnistSettings& s) { return !mnist_is_cnn(s) && s.layers == std::vector<int64_t>{784, 10}; }
bool recipe_cnn_model(const MnistSettings& s) { return s.layer_list == mnist_recipe_cnn_layers(); }

}  // namespace

bool mnist_page_build() {
#ifdef __EMSCRIPTEN__
  return true;
#else
  return false;
#endif
}

void mnist_start_data(MnistPanel& panel, const std::string& dir) {
  MnistState& m = panel.state;
  m.data_field = dir;
  // The page's files are small and already in memory; the desktop's full set is read in
  // the background.
  if (mnist_page_build())
    m.loader.load_now(dir);
  else
    m.loader.start(dir);
}

void mnist_start(MnistPanel& panel) {
  MnistState& m = panel.state;
  if (m.started) return;
  m.started = true;
  if (!m.runner) m.runner = std::make_unique<MnistRunner>(panel.ui.mode);
  if (mnist_page_build()) {
    // Saving in the page means downloading: bare names go to the download folder.
    m.save_path = "mnist-model.safetensors";
    m.png_path = "mnist-digit.png";
    // The glue fetches the packed subset and the default model (or ?weights=) and hands
    // them over with mnist.data= and mnist.default_weights= (or mnist.load_weights=); until
    // then a model drawn from the seed.
    m.waiting_for_page_weights = true;
    m.page_fetch_wanted = true;
    configure(panel, random_origin(panel));
    return;
  }
  mnist_start_data(panel, find_mnist_dir(panel.s.data));
  // The weights named in the settings, else the default model when the settings ask for
  // its architecture (the tutorial's, or the CNN recipe's), else a model drawn from the seed.
  const char* default_model = tutorial_model(panel.s) ? kDefaultModel
                              : recipe_cnn_model(panel.s) ? kMnistDefaultCnn
                                                             : nullptr;
  std::string path = panel.s.weights;
  if (path.empty() && default_model) path = default_weights_path(default_model);
  m.weights_field = path.empty() ? kDefaultModel : path;
  if (path.empty() || !mnist_load_weights(panel, path)) {
    if (path.empty() && default_model)
      m.message = trf("no default model found (%s): starting from the seed", default_model);
    configure(panel, random_origin(panel));
  }
}

namespace {

// Once the loader has the data: the session rebuilt on it (from the current weights).
void adopt_loaded_data(MnistPanel& panel) {
  MnistState& m = panel.state;
  if (m.loader.poll()) {
    // A weights file's error (say, a failed download in the page) stays in view.
    const std::string earlier = m.error;
    if (configure(panel, current_origin(panel))) m.error = earlier;
    auto data = m.loader.data();
    m.message = trf("loaded %lld training and %lld test images from %s", static_cast<long long>(data->train.count),
                    static_cast<long long>(data->test.count), data->source.c_str());
    if (m.sample < 0 || m.sample >= data->test.count) mnist_random_sample(panel);
  }
}

}  // namespace

void mnist_frame(MnistPanel& panel, double slice_ms) {
  MnistState& m = panel.state;
  if (!m.started) return;
  adopt_loaded_data(panel);
  if (panel.ui.mode == TrainingMode::PerFrameSlices) m.runner->pump(slice_ms);
  mnist_refresh_predictions(panel);
}

void mnist_refresh_predictions(MnistPanel& panel) {
  MnistState& m = panel.state;
  auto snap = m.runner ? m.runner->snapshot() : nullptr;
  if (snap && snap->params) {
    const uint64_t key = (snap->generation << 40) ^ snap->params_version;
    m.predictor.set_weights(snap->config.spec, *snap->params, key);
  }
  if (!m.predictor.ready()) return;
  const uint64_t pad_key = m.pad.version * 0x9E3779B97F4A7C15ULL ^ m.predictor.version();
  if (pad_key != m.pad_key) {
    const auto t0 = std::chrono::steady_clock::now();
    m.pad_probs = m.predictor.probabilities(m.pad.image.data());
    const double forward_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    // Drawing to prediction: the stroke's rasterising and preprocessing, then the forward pass.
    m.pad_latency_ms = (m.pad.test_index < 0 ? m.pad.preprocess_ms : 0.0) + forward_ms;
    // Read now: the sample's forward below replaces the layers' outputs.
    m.pad_maps = m.predictor.feature_maps();
    m.pad_key = pad_key;
  }
  if (snap && snap->data && m.sample >= 0 && m.sample < snap->data->test.count) {
    const uint64_t key = uint64_t(m.sample) * 0x9E3779B97F4A7C15ULL ^ m.predictor.version();
    if (key != m.sample_key) {
      m.sample_probs = m.predictor.probabilities(snap->data->test.images.data() + size_t(m.sample) * 784);
      m.sample_key = key;
    }
  }
}

void sync_mnist(MnistPanel& panel, const MnistSettings& before) {
  MnistState& m = panel.state;
  const MnistSettings& now = panel.s;
  if (!m.started) return;  // mnist_start reads the settings as they are then
  // A new folder setting reads the data again, unless it names the folder already in use.
  if (!mnist_page_build() && now.data != before.data && find_mnist_dir(now.data) != m.loader.dir())
    mnist_start_data(panel, find_mnist_dir(now.data));
  if (!mnist_page_build() && now.weights != before.weights && !now.weights.empty()) {
    mnist_load_weights(panel, now.weights);
    return;
  }
  const bool new_model = now.layers != before.layers || now.layer_list != before.layer_list ||
                         now.activation != before.activation || now.seed != before.seed;
  const bool rebuild = now.optimizer != before.optimizer || now.batch != before.batch || now.train != before.train ||
                       now.test != before.test || now.device != before.device;
  if (new_model) {
    mnist_new_model(panel);
  } else if (rebuild) {
    configure(panel, current_origin(panel));
  } else {
    if (now.lr != before.lr) m.runner->set_lr(now.lr);
    if (now.epochs != before.epochs) m.runner->set_max_epochs(now.epochs);
  }
}

void mnist_new_model(MnistPanel& panel) {
  mnist_start(panel);
  if (configure(panel, random_origin(panel)))
    panel.state.message = trf("a new model from seed %llu", static_cast<unsigned long long>(panel.s.seed));
}

void mnist_set_training(MnistPanel& panel, bool on) {
  mnist_start(panel);
  panel.state.runner->set_running(on);
}

bool mnist_load_weights(MnistPanel& panel, const std::string& path) {
  mnist_start(panel);
  MnistState& m = panel.state;
  MnistWeights w;
  try {
    w = load_mnist_weights(path);
  } catch (const Error& e) {
    m.error = e.what();
    return false;
  }
  // The settings follow the file's architecture, so that the panel shows (and a shared
  // link rebuilds) the model that was loaded.
  const bool hidden = w.spec.sizes.size() > 2;
  if (hidden && w.spec.hidden != Activation::ReLU && w.spec.hidden != Activation::Sigmoid &&
      w.spec.hidden != Activation::Tanh) {
    m.error = trf("%s: the panel offers no hidden activation %s", path.c_str(), activation_name(w.spec.hidden));
    return false;
  }
  if (w.spec.is_layer_list() && w.spec.input != Shape{1, 28, 28}) {
    m.error = trf("%s: the panel builds layer lists on 1x28x28 images, not %s", path.c_str(), w.spec.describe().c_str());
    return false;
  }
  const MnistSettings before = panel.s;
  // Crossing between an MLP and a CNN brings that kind's optimizer, rate and batch, so
  // that training on from the file does not use SGD at 0.1 on a CNN.
  if (w.spec.is_layer_list() && !mnist_is_cnn(before)) {
    mnist_choose_cnn(panel.s, w.spec.layers);
  } else if (!w.spec.is_layer_list() && mnist_is_cnn(before)) {
    mnist_choose_mlp(panel.s, w.spec.sizes);
  } else if (w.spec.is_layer_list()) {
    panel.s.layer_list = w.spec.layers;
  } else {
    panel.s.layers = w.spec.sizes;
  }
  if (hidden) panel.s.activation = w.spec.hidden;
  MnistOrigin o;
  o.label = path;
  o.params = std::make_shared<const std::vector<float>>(w.params);
  o.metadata = w.metadata;
  if (!configure(panel, o)) {
    panel.s = before;
    return false;
  }
  // A default model is not written into the settings: the architecture already names it.
  if (!mnist_page_build() && path != default_weights_path() && path != default_weights_path(kMnistDefaultCnn))
    panel.s.weights = path;
  m.weights_field = path;
  m.waiting_for_page_weights = false;
  m.message = trf("loaded %s from %s", w.spec.describe().c_str(), path.c_str()) + (w.note.empty() ? "" : " (" + w.note + ")");
  m.loaded = std::make_shared<const MnistWeights>(std::move(w));
  return true;
}

bool mnist_load_trained_cnn(MnistPanel& panel) {
  mnist_start(panel);
  MnistState& m = panel.state;
  if (mnist_page_build()) {
    // The glue fetches it from the site and answers with mnist.load_weights=.
    m.page_weights_wanted = kPageCnn;
    m.waiting_for_page_weights = true;
    return true;
  }
  const std::string path = default_weights_path(kMnistDefaultCnn);
  if (path.empty()) {
    m.error = trf("no trained CNN found (%s)", kMnistDefaultCnn);
    return false;
  }
  return mnist_load_weights(panel, path);
}

bool mnist_save_weights(MnistPanel& panel, const std::string& path) {
  mnist_start(panel);
  MnistState& m = panel.state;
  auto snap = m.runner->snapshot();
  if (!snap) return false;
  bool download = false;
  const std::string out = output_path(path, "mnist-model.safetensors", download);
  try {
    const std::vector<float> params = m.runner->params();
    const Dataset* test = snap->data ? &snap->data->test : nullptr;
    const Metadata meta = mnist_training_metadata(snap->config.spec, params, describe_training(*snap), test);
    save_mnist_weights(out, snap->config.spec, params, meta);
  } catch (const Error& e) {
    m.error = e.what();
    return false;
  }
  if (download) m.downloads.push_back(out);
  m.message = snap->data ? trf("saved the model with its test accuracy and first logits to %s", out.c_str())
                         : trf("saved the model to %s", out.c_str());
  return true;
}

bool mnist_save_png(MnistPanel& panel, const std::string& path) {
  MnistState& m = panel.state;
  bool download = false;
  const std::string out = output_path(path, "mnist-digit.png", download);
  try {
    const std::vector<uint8_t> png = encode_digit_png(m.pad.image);
    write_file_atomic(out, png.data(), png.size());
  } catch (const Error& e) {
    m.error = e.what();
    return false;
  }
  if (download) m.downloads.push_back(out);
  m.message = trf("saved the 28x28 image the model sees to %s", out.c_str());
  return true;
}

bool mnist_finetune(MnistPanel& panel, int steps) {
  mnist_start(panel);
  MnistState& m = panel.state;
  auto snap = m.runner->snapshot();
  if (!snap || !snap->data) {
    m.error = tr("fine-tuning mixes your digits with training images: load the data first");
    return false;
  }
  if (m.personal.samples.empty()) {
    m.error = tr("add a drawn digit with its label first");
    return false;
  }
  m.runner->set_running(false);
  m.runner->finetune(m.personal.samples, steps);
  m.message = trf("fine-tuning %d steps on %d drawn digits mixed with training images", steps,
                  int(m.personal.samples.size()));
  return true;
}

void mnist_show_sample(MnistPanel& panel, int index) {
  MnistState& m = panel.state;
  auto data = m.loader.data();
  if (!data || data->test.count == 0) return;
  const int n = int(data->test.count);
  m.sample = ((index % n) + n) % n;  // previous/next wrap around
}

void mnist_random_sample(MnistPanel& panel) {
  auto data = panel.state.loader.data();
  if (!data || data->test.count == 0) return;
  // The tutorial's r = random.randint(0, len(mnist_test) - 1).
  mnist_show_sample(panel, int(panel.state.pick.below(uint32_t(data->test.count))));
}

void mnist_pad_test_digit(MnistPanel& panel) {
  MnistState& m = panel.state;
  auto data = m.loader.data();
  if (!data || data->test.count == 0) {
    m.error = tr("no test images loaded yet");
    return;
  }
  const int index = int(m.pick.below(uint32_t(data->test.count)));
  m.pad.show_test_image(data->test.images.data() + size_t(index) * 784, index);
}

namespace {

using P = MnistPanel&;
using A = const CommandArg&;

// An int argument within [lo, hi].
bool in_range(A a, long long lo, long long hi) { return a.number >= lo && a.number <= hi; }

const Command<MnistPanel> kCommands[] = {
    {"mnist.train", ArgKind::None,
     [](P p, A) {
       mnist_set_training(p, true);
       return p.state.runner->snapshot() && p.state.runner->snapshot()->running;
     }},
    {"mnist.pause", ArgKind::None, [](P p, A) { mnist_set_training(p, false); return true; }},
    {"mnist.reset", ArgKind::None,
     [](P p, A) {
       mnist_new_model(p);
       return p.state.error.empty();
     }},
    {"mnist.clear", ArgKind::None, [](P p, A) { p.state.pad.clear(); return true; }},
    {"mnist.random_digit", ArgKind::None,
     [](P p, A) {
       mnist_pad_test_digit(p);
       return p.state.pad.test_index >= 0;
     }},
    {"mnist.sample_next", ArgKind::None,
     [](P p, A) {
       mnist_show_sample(p, p.state.sample + 1);
       return p.state.sample >= 0;
     }},
    {"mnist.sample_prev", ArgKind::None,
     [](P p, A) {
       mnist_show_sample(p, p.state.sample - 1);
       return p.state.sample >= 0;
     }},
    {"mnist.sample_random", ArgKind::None,
     [](P p, A) {
       mnist_random_sample(p);
       return p.state.sample >= 0;
     }},
    {"mnist.sample", ArgKind::Int,
     [](P p, A a) {
       const auto data = p.state.loader.data();
       if (!in_range(a, 0, kMnistMaxImages) || !data || a.number >= data->test.count) return false;
       mnist_show_sample(p, int(a.number));
       return true;
     }},
    {"mnist.personal_clear", ArgKind::None, [](P p, A) { p.state.personal.samples.clear(); return true; }},
    {"mnist.personal_add", ArgKind::Int,
     [](P p, A a) { return in_range(a, 0, 9) && p.state.personal.add(p.state.pad.image, int(a.number)); }},
    {"mnist.finetune", ArgKind::None, [](P p, A) { return mnist_finetune(p, p.state.personal.steps); }},
    {"mnist.finetune", ArgKind::Int, [](P p, A a) { return in_range(a, 1, 10000) && mnist_finetune(p, int(a.number)); }},
    {"mnist.save_png", ArgKind::None, [](P p, A) { return mnist_save_png(p, p.state.png_path); }},
    {"mnist.save_png", ArgKind::Text, [](P p, A a) { return mnist_save_png(p, a.text); }},
    {"mnist.save_weights", ArgKind::None, [](P p, A) { return mnist_save_weights(p, p.state.save_path); }},
    {"mnist.save_weights", ArgKind::Text, [](P p, A a) { return mnist_save_weights(p, a.text); }},
    {"mnist.load_cnn", ArgKind::None, [](P p, A) { return mnist_load_trained_cnn(p); }},
    {"mnist.draw", ArgKind::Text,
     [](P p, A a) {
       std::vector<Stroke> strokes;
       const std::string problem = parse_strokes(a.text, strokes);
       if (!problem.empty()) {
         p.state.error = problem;
         return false;
       }
       p.state.pad.set_strokes(std::move(strokes));
       return true;
     }},
    {"mnist.brush", ArgKind::Text,
     [](P p, A a) {
       char* end = nullptr;
       const float r = std::strtof(a.text.c_str(), &end);
       if (a.text.empty() || *end != '\0' || !(r > 0.0f) || r > 0.15f) return false;
       p.state.pad.set_radius(r);
       return true;
     }},
    {"mnist.confusion", ArgKind::Text,
     [](P p, A a) {
       // "truth-predicted", or "none"
       MnistState& m = p.state;
       const std::string& v = a.text;
       if (v == "none") {
         m.confusion_truth = m.confusion_pred = -1;
         return true;
       }
       if (v.size() != 3 || v[1] != '-' || !std::isdigit(static_cast<unsigned char>(v[0])) ||
           !std::isdigit(static_cast<unsigned char>(v[2])))
         return false;
       m.confusion_truth = v[0] - '0';
       m.confusion_pred = v[2] - '0';
       return true;
     }},
    // What the page's glue delivers.
    {"mnist.data", ArgKind::Text,
     [](P p, A a) {
       mnist_start_data(p, a.text);
       // The page's data is parsed at once: the session takes it now, not a frame later,
       // so that no state report shows the data ready beside a session without it.
       adopt_loaded_data(p);
       return p.state.loader.state() != MnistDataLoader::State::Failed;
     }},
    {"mnist.data_progress", ArgKind::Text,
     [](P p, A a) {
       char* end = nullptr;
       const double f = std::strtod(a.text.c_str(), &end);
       if (a.text.empty() || *end != '\0' || !std::isfinite(f)) return false;
       p.state.loader.set_progress(f);
       return true;
     }},
    {"mnist.data_error", ArgKind::Text, [](P p, A a) { p.state.loader.set_failed(a.text); return true; }},
    {"mnist.load_weights", ArgKind::Text,
     [](P p, A a) {
       // A file arrived (a ?weights= link or the user's): the page waits for nothing more,
       // whether or not it loads.
       p.state.waiting_for_page_weights = false;
       return mnist_load_weights(p, a.text);
     }},
    {"mnist.default_weights", ArgKind::Text,
     [](P p, A a) {
       // The page's default model: used, as on the desktop, when the settings ask for the
       // tutorial's architecture and name no weights of their own, and only while nothing
       // else was loaded (a file dropped while it downloaded wins).
       MnistState& m = p.state;
       const bool wanted = m.waiting_for_page_weights && tutorial_model(p.s);
       // Settings that ask for the CNN recipe get the trained CNN instead.
       const bool cnn = m.waiting_for_page_weights && recipe_cnn_model(p.s);
       m.waiting_for_page_weights = false;
       if (cnn) mnist_load_trained_cnn(p);
       return !wanted || mnist_load_weights(p, a.text);
     }},
    {"mnist.weights_error", ArgKind::Text,
     [](P p, A a) {
       p.state.waiting_for_page_weights = false;
       p.state.error = a.text;
       return true;
     }},
};

}  // namespace

std::span<const Command<MnistPanel>> mnist_commands() { return kCommands; }

std::optional<bool> run_mnist_command(MnistPanel& panel, std::string_view cmd) {
  if (cmd.substr(0, 6) != "mnist.") return std::nullopt;
  mnist_start(panel);
  mnist_refresh_predictions(panel);
  const std::optional<bool> ok = run_command(mnist_commands(), panel, cmd);
  mnist_refresh_predictions(panel);
  return ok;
}

}  // namespace nnplay::ui
