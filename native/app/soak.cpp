// --soak SECONDS (see soak.h). The run repeats a one-minute cycle of commands, so every
// minute does the same work and the minutes can be compared: memory sampled after the
// first minute must stay within kMaxGrowthMb of where it was at one minute, the median
// frame time of the last minute within kCreepRatio (and kCreepSlackMs) of the second's,
// and no command may hold the window (the main thread, where commands run as clicks do)
// for longer than kStallSeconds.
// Runs shorter than kMinVerdictSeconds only check that the app keeps working (every
// command succeeds, no error appears, both trainings progress): memory and frame time
// over less than a few minutes say nothing.
//
// The cycle mirrors tests/e2e/soak.mjs (the page's soak); change both together.
#include "soak.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "shell/app.h"

namespace nnplay::desktop {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kCycleSeconds = 60;
constexpr double kSampleSeconds = 10;
constexpr double kMinVerdictSeconds = 180;
constexpr double kMaxGrowthMb = 16;
constexpr double kCreepRatio = 1.3;
constexpr double kCreepSlackMs = 1.0;
constexpr double kDataTimeoutSeconds = 60;
constexpr double kStallSeconds = 0.5;  // a command that holds the window longer is reported

// One minute of what a user does, faster. {ds} is the network lab's dataset (a different
// one each cycle), {dir} the folder weights are saved to.
struct Step {
  double at;  // seconds into the cycle
  const char* command;
};
constexpr Step kCycle[] = {
    {0, "settings=panel=network&dataset={ds}&epochs=10000000&mtrain=10000&mtest=2000&mepochs=1000"},
    {0, "network.train"},
    {6, "act=tanh"},
    {6, "layers=2-16-16-1"},
    {6, "network.train"},
    {12, "lr=0.3"},
    {16, "network.pause"},
    {17, "step.open=network"},
    {17, "step.next"},
    {17, "step.next"},
    {17, "step.next"},
    {20, "panel=mnist"},
    {20, "mlayers=784-128-10"},
    {20, "mopt=adam"},
    {20, "mlr=0.001"},
    {20, "mnist.train"},
    {27, "mnist.pause"},
    {27, "mnist.save_weights={dir}/mlp.safetensors"},
    {27, "mnist.random_digit"},
    {28, "mnist.draw=[[[0.53,0.14],[0.52,0.3],[0.5,0.5],[0.49,0.7],[0.48,0.86]]]"},
    {29, "step.open=mnist"},
    {29, "step.next"},
    {29, "panel=mnist"},
    {30, "mlayers=conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10"},
    {30, "mnist.train"},
    {37, "mnist.pause"},
    {37, "mnist.save_weights={dir}/cnn.safetensors"},
    {37, "mnist.load_weights={dir}/mlp.safetensors"},
    {37, "mnist.sample_next"},
    {39, "mnist.load_weights={dir}/cnn.safetensors"},
    {39, "mnist.train"},
    {42, "mnist.pause"},
    {42, "mnist.load_cnn"},
    {44, "panel=gates"},
    {44, "gates.learn"},
    {44, "xor221.train"},
    {48, "lang=ko"},
    {48, "panel=loss"},
    {48, "scale=200"},
    {52, "lang=en"},
    {52, "xor221.pause"},
    {52, "gates.pause"},
    {52, "gate=xor"},
    {54, "panel=network"},
    {54, "network.train"},
};
constexpr const char* kDatasets[] = {"xor", "circle", "spiral", "gaussians", "xor-quadrants"};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size())) s.replace(i, from.size(), to);
  return s;
}

// This process's resident memory in MB (VmRSS), or -1 where /proc is not there.
double rss_mb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return -1;
}

double percentile(std::vector<float> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return double(v[std::min(v.size() - 1, size_t(q * double(v.size())))]);
}

// o[key], or an empty object where the report has no such key.
const nlohmann::json& member(const nlohmann::json& o, const char* key) {
  static const nlohmann::json none = nlohmann::json::object();
  return o.is_object() && o.contains(key) ? o[key] : none;
}

std::string make_temp_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/nnplay-soak-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return "";
  return buf.data();
}

}  // namespace

struct Soak::Impl {
  nnplay::ui::App& app;
  double seconds;
  std::string dir;
  Clock::time_point start = Clock::now();
  double cycle_start = -1;  // run time when the first cycle began (after MNIST's data arrived)
  size_t next_step = 0;     // in kCycle
  long cycle = 0;
  double next_sample = kSampleSeconds;

  // Frame times: those of the current sample window, and every frame's by minute (space
  // reserved up front, so that the soak's own bookkeeping does not grow while it measures).
  std::vector<float> window;
  std::vector<std::vector<float>> by_minute;
  struct Sample {
    double t, rss, p50, p95, max;
    long frames;
  };
  std::vector<Sample> samples;

  // What must hold: commands succeed, no error shows, both trainings progress.
  long commands = 0;
  std::vector<std::string> failed;
  long stalls = 0;
  double worst_stall = 0;
  std::string worst_stall_command;
  std::set<std::string> errors;
  int last_epoch = 0;
  long long last_images = 0;
  long long network_epochs = 0, mnist_images = 0;
  int epoch_now = 0;
  long long images_now = 0;

  Impl(nnplay::ui::App& a, double s) : app(a), seconds(s), dir(make_temp_dir()) {
    const size_t minutes = size_t(std::ceil(seconds / 60.0)) + 2;
    by_minute.resize(minutes);
    for (auto& m : by_minute) m.reserve(60 * 130);  // up to 130 frames per second
    window.reserve(size_t(kSampleSeconds * 130));
    samples.reserve(size_t(seconds / kSampleSeconds) + 4);
  }

  double now() const { return std::chrono::duration<double>(Clock::now() - start).count(); }

  void send(const std::string& command) {
    ++commands;
    const double t0 = now();
    if (!app.test_command(command) && failed.size() < 1000) failed.push_back(command);
    // A command runs on the main thread between two frames, as a click does: a slow one
    // is a frozen window.
    const double took = now() - t0;
    if (took > kStallSeconds) {
      std::printf("soak: %5.0f s  the window froze for %.2f s on '%s'\n", t0, took, command.c_str());
      std::fflush(stdout);
      ++stalls;
      if (took > worst_stall) worst_stall = took, worst_stall_command = command;
    }
  }

  // Reads the state report: training progress, and any error the panels show.
  void read_state() {
    const nlohmann::json j = nlohmann::json::parse(app.test_state_json(), nullptr, false);
    if (j.is_discarded()) {
      errors.insert("the state report is not JSON");
      return;
    }
    auto text = [&](const nlohmann::json& o, const char* key) {
      const nlohmann::json& v = member(o, key);
      return v.is_string() ? v.get<std::string>() : std::string();
    };
    const nlohmann::json& net = member(j, "network");
    const nlohmann::json& mnist = member(j, "mnist");
    for (const std::string& e : {text(net, "error"), text(net, "config_error"), text(mnist, "error"),
                                 text(mnist, "train_error"), text(member(mnist, "data"), "error"),
                                 text(member(j, "step"), "error")})
      if (!e.empty() && errors.size() < 20) errors.insert(e);
    // A reset starts the count again: only increases are progress.
    epoch_now = net.value("epoch", 0);
    if (epoch_now > last_epoch) network_epochs += epoch_now - last_epoch;
    last_epoch = epoch_now;
    images_now = mnist.value("images_trained", 0LL);
    if (images_now > last_images) mnist_images += images_now - last_images;
    last_images = images_now;
  }

  bool mnist_data_ready(std::string& problem) {
    const nlohmann::json j = nlohmann::json::parse(app.test_state_json(), nullptr, false);
    if (j.is_discarded()) return false;
    const nlohmann::json& data = member(member(j, "mnist"), "data");
    const std::string state = data.value("state", "");
    if (state == "failed") problem = data.value("error", "");
    return state == "ready";
  }

  void sample(double t) {
    const double rss = rss_mb();
    const Sample s{t, rss, percentile(window, 0.5), percentile(window, 0.95), percentile(window, 1.0),
                   long(window.size())};
    samples.push_back(s);
    window.clear();
    read_state();
    std::printf("soak: %5.0f s  rss %7.1f MB  frame p50 %6.2f  p95 %6.2f  max %7.2f ms  (%4ld frames)  "
                "network epoch %d  mnist images %lld  failed %zu\n",
                t, s.rss, s.p50, s.p95, s.max, s.frames, epoch_now, images_now, failed.size());
    std::fflush(stdout);
  }

  int finish() {
    read_state();
    std::printf("soak: minute  rss_max_mb  frame_p50_ms  frame_p95_ms  frames\n");
    const size_t full_minutes = size_t(seconds / 60.0);
    std::vector<double> minute_p50(full_minutes, NAN);
    for (size_t m = 0; m < full_minutes; ++m) {
      double rss = 0;
      for (const Sample& s : samples)
        if (s.t > double(m) * 60 && s.t <= double(m + 1) * 60 + 0.5) rss = std::max(rss, s.rss);
      minute_p50[m] = percentile(by_minute[m], 0.5);
      std::printf("soak: %6zu  %10.1f  %12.2f  %12.2f  %6zu\n", m + 1, rss, minute_p50[m],
                  percentile(by_minute[m], 0.95), by_minute[m].size());
    }
    std::vector<std::string> problems;
    if (!failed.empty()) {
      std::string list;
      for (size_t i = 0; i < failed.size() && i < 5; ++i) list += (i ? "; " : "") + failed[i];
      problems.push_back(std::to_string(failed.size()) + " of " + std::to_string(commands) +
                         " commands failed (" + list + ")");
    }
    for (const std::string& e : errors) problems.push_back("error shown: " + e);
    if (network_epochs <= 0) problems.push_back("the network lab never trained");
    if (mnist_images <= 0) problems.push_back("MNIST never trained");

    std::string measured;
    char buf[400];
    if (seconds >= kMinVerdictSeconds && full_minutes >= 3) {
      // Memory: every sample after the first minute against the one at one minute.
      double base = -1, peak = -1;
      for (const Sample& s : samples) {
        if (base < 0 && s.t >= 60 - 0.5) base = s.rss;
        else if (base >= 0) peak = std::max(peak, s.rss);
      }
      const double growth = peak - base;
      std::snprintf(buf, sizeof buf, "memory grew %.1f MB after minute 1 (%.1f -> peak %.1f MB; limit %.0f MB)",
                    growth, base, peak, kMaxGrowthMb);
      measured += buf;
      if (growth > kMaxGrowthMb) problems.push_back(buf);
      const double second = minute_p50[1], last = minute_p50[full_minutes - 1];
      std::snprintf(buf, sizeof buf,
                    "frame p50 %.2f ms in the last minute vs %.2f ms in minute 2 (limit x%.1f + %.0f ms)", last,
                    second, kCreepRatio, kCreepSlackMs);
      measured += std::string("; ") + buf;
      if (!(last <= second * kCreepRatio + kCreepSlackMs)) problems.push_back(std::string("frame time crept: ") + buf);
      if (stalls > 0) {
        std::snprintf(buf, sizeof buf, "the window froze %ld times for over %.1f s, longest %.1f s on '%s'", stalls,
                      kStallSeconds, worst_stall, worst_stall_command.c_str());
        problems.push_back(buf);
      } else {
        std::snprintf(buf, sizeof buf, "; no command held the window over %.1f s", kStallSeconds);
        measured += buf;
      }
    } else {
      measured = "shorter than " + std::to_string(int(kMinVerdictSeconds)) +
                 " s: memory and frame time not judged";
    }
    std::snprintf(buf, sizeof buf, "; %ld commands, %lld network epochs, %lld MNIST images trained", commands,
                  network_epochs, mnist_images);
    measured += buf;
    if (problems.empty()) {
      std::printf("soak: verdict: PASS: %s\n", measured.c_str());
    } else {
      std::printf("soak: verdict: FAIL: %s\n", measured.c_str());
      for (const std::string& p : problems) std::printf("soak: FAIL: %s\n", p.c_str());
    }
    std::fflush(stdout);
    return problems.empty() ? 0 : 1;
  }

  int after_frame(double frame_ms) {
    const double t = now();
    if (dir.empty()) {
      std::printf("soak: verdict: FAIL: could not make a folder for the weights under $TMPDIR\n");
      return 1;
    }
    if (cycle_start < 0) {
      // Before the first cycle: open the MNIST panel, so that its data loads, and wait for it.
      if (commands == 0) send("settings=panel=mnist&mtrain=10000&mtest=2000");
      std::string problem;
      if (mnist_data_ready(problem)) {
        cycle_start = t;
      } else if (!problem.empty() || t > kDataTimeoutSeconds) {
        std::printf("soak: verdict: FAIL: MNIST's data did not load: %s\n",
                    problem.empty() ? "no answer in time" : problem.c_str());
        return 1;
      }
    }
    if (cycle_start >= 0) {
      // Every step of the cycle whose time has come, in order.
      const double in_cycle = t - cycle_start - double(cycle) * kCycleSeconds;
      while (next_step < std::size(kCycle) && kCycle[next_step].at <= in_cycle) {
        std::string c = replace_all(kCycle[next_step].command, "{dir}", dir);
        c = replace_all(c, "{ds}", kDatasets[size_t(cycle) % std::size(kDatasets)]);
        send(c);
        ++next_step;
        read_state();
      }
      if (in_cycle >= kCycleSeconds) {
        ++cycle;
        next_step = 0;
      }
    }
    // The commands ran between this frame and the next, holding the window as the same
    // clicks would: their time belongs to this frame.
    const float ms = float(frame_ms + (now() - t) * 1000.0);
    window.push_back(ms);
    const size_t minute = size_t(t / 60.0);
    if (minute < by_minute.size()) by_minute[minute].push_back(ms);
    if (t >= next_sample) {
      sample(t);
      // After a frozen window, the next sample a whole period on, not one per frame.
      while (next_sample <= t) next_sample += kSampleSeconds;
    }
    return t >= seconds ? finish() : -1;
  }

  ~Impl() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

Soak::Soak(nnplay::ui::App& app, double seconds) : impl_(std::make_unique<Impl>(app, seconds)) {
  std::printf("soak: %.0f s of panels, training, settings and weights (saved in %s); a line every %.0f s\n", seconds,
              impl_->dir.c_str(), kSampleSeconds);
  std::fflush(stdout);
}

Soak::~Soak() = default;

int Soak::after_frame(double frame_ms) { return impl_->after_frame(frame_ms); }

}  // namespace nnplay::desktop
