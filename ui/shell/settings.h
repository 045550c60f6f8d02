// Every panel's settings in one plain struct, and its round trip through the query-string
// form used by the web page's URL and the desktop's --settings option
// ("panel=network&dataset=spiral&layers=2-8-8-1&act=tanh&lr=0.03&seed=7").
// Parsing never fails: a key that is unknown or a value that is out of range becomes a
// warning naming it, and the setting keeps its default. Formatting writes every key in a
// fixed order with the shortest text that reads back to the same float, so that
// parse(format(s)) == s exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/datasets2d.h"
#include "nnplay/xor.h"
#include "nnplay/gates.h"
#include "mnist/mnist_settings.h"
#include "widgets/translations.h"

namespace nnplay::ui {

enum class PanelId { Gates, LossLab, Network, Mnist, OneStep };
const char* panel_key(PanelId p);  // "gates", "loss", "network", "mnist", "step"

// The language a settings string without lang= gets (the browser's or the system's);
// format_settings leaves lang= out when it is this one.
void set_default_lang(Lang l);
Lang default_lang();

struct GatesSettings {
  Gate gate = Gate::AND;
  float w1 = 0.5f, w2 = 0.5f, b = -0.7f;  // the sliders; the tutorial's AND to start
  float perceptron_lr = 0.1f;             // the learning rule's step
  float xor_lr = 1.0f;                    // the 2-2-1 network that learns XOR
  uint64_t xor_seed = 1;
  bool operator==(const GatesSettings&) const = default;
};

constexpr int kLogitRows = 3, kLogitCols = 5;  // the tutorial's torch.rand(3, 5)

struct LossLabSettings {
  uint64_t seed = 1;              // draws the logits and labels
  float scale = 1.0f;             // logits are multiplied by this before every cost
  std::vector<float> logits;      // kLogitRows × kLogitCols when edited by hand, else empty (drawn from seed)
  std::vector<int32_t> labels;    // kLogitRows when edited by hand, else empty
  bool operator==(const LossLabSettings&) const = default;
};

struct NetworkSettings {
  Toy2D dataset = Toy2D::Xor;
  int points = 200;
  float noise = 0.05f;
  float test_fraction = 0.3f;
  // The model and its training default to the tutorial's XOR recipe (XorConfig, xor.h).
  std::vector<int64_t> layers = xor_model_spec(XorConfig{}).sizes;
  Activation activation = XorConfig{}.activation;
  LossKind loss = XorConfig{}.loss;
  std::string optimizer = XorConfig{}.optimizer.name;
  float lr = XorConfig{}.optimizer.lr;
  int batch = 0;  // 0: the whole training set in one batch (the tutorial's full-batch XOR)
  uint64_t seed = XorConfig{}.seed;
  int epochs = XorConfig{}.epochs;  // training pauses when this many epochs are done
  int speed = 0;       // epochs per second at most, to watch training unfold; 0: as fast as it goes
  bool operator==(const NetworkSettings&) const = default;
};

struct Settings {
  PanelId panel = PanelId::Gates;
  Lang lang = Lang::En;              // lang=en|ko; defaults to the browser's or the system's language
  bool solo = false;                 // solo=1: the panel alone, without the tab bar (a course page's iframe)
  std::vector<std::string> hidden;   // hide=lr,batch: named controls left out (see control names in the panels)
  GatesSettings gates;
  LossLabSettings loss;
  NetworkSettings network;
  MnistSettings mnist;
  bool operator==(const Settings&) const = default;
};

// Limits that parsing and the widgets share.
constexpr float kWeightLimit = 2.0f;  // gate sliders: [-2, 2]
// The learning rule's weights reach ±3 steps on these gates, so a rate up to 0.5 keeps
// them on the sliders.
constexpr float kMaxPerceptronLr = 0.5f;
constexpr int kMaxHiddenLayers = 6;
constexpr int kMaxWidth = 64;
constexpr int kMaxBatch = 20000;
constexpr int kMaxEpochs = 10000000;
constexpr float kMaxScale = 1000.0f;
constexpr int kMaxSpeed = 100000;

// Applies one key=value to s (value already URL-decoded). Returns an empty string on
// success, else the warning ("unknown setting 'foo'", "lr: must be a number in ...").
std::string apply_setting(Settings& s, const std::string& key, const std::string& value);

// Parses a whole query string over the defaults; warnings are appended to `warnings`.
Settings parse_settings(const std::string& query, std::vector<std::string>& warnings);
std::string format_settings(const Settings& s);

// Helpers shared with the panels and tests.
std::string format_float(float v);  // shortest text that reads back to exactly v
std::string url_decode(const std::string& s);
std::string url_encode(const std::string& s);
std::string format_layers(const std::vector<int64_t>& layers);  // "2-10-10-10-1"

}  // namespace nnplay::ui
