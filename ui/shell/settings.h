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

#include "gates/gates_settings.h"
#include "loss_lab/loss_lab_settings.h"
#include "mnist/mnist_settings.h"
#include "training/network_settings.h"
#include "widgets/panel_context.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

// The language a settings string without lang= gets (the browser's or the system's);
// format_settings leaves lang= out when it is this one.
void set_default_lang(Lang l);
Lang default_lang();

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

// Applies one key=value to s (value already URL-decoded). Returns an empty string on
// success, else the warning ("unknown setting 'foo'", "lr: must be a number in ...").
std::string apply_setting(Settings& s, const std::string& key, const std::string& value);

// Parses a whole query string over the defaults; warnings are appended to `warnings`.
Settings parse_settings(const std::string& query, std::vector<std::string>& warnings);
std::string format_settings(const Settings& s);

}  // namespace nnplay::ui
