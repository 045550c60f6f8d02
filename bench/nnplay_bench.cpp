// nnplay-bench: times the tutorial workloads with the engine API, the way
// bench/run-bench.sh compares them with the PyTorch reference programs in bench/reference/.
//
//   nnplay-bench linear  [--threads N] [--epochs E] [--data DIR]   784-10 softmax, SGD 0.1, batch 100
//   nnplay-bench mlp     [--threads N] [--epochs E] [--data DIR]   784-256-256-10 ReLU, Adam 1e-3, batch 128
//   nnplay-bench cnn     [--threads N] [--epochs E] [--data DIR]   the CNN recipe (recipes.h), batch 32
//                        [--layers LIST] [--lr LR]                  or a layer list (layer_list.h) trained like it
//   nnplay-bench xor     [--threads N] [--epochs E]                 2-10-10-10-1 sigmoid, BCE, SGD 1
//   nnplay-bench machine                                            core scaling and memory bandwidth probes
// --device cpu|cuda|auto (default cpu): the backend (nnplay::make_backend). On a GPU each
// epoch's clock stops only after one parameter has been read back, so it covers the work
// the GPU still had queued.
// --target-acc A (linear, mlp): after every epoch the test set is evaluated (timed apart,
// never counted as training) and the first epoch reaching accuracy A is reported:
//   TIME eval_epoch <k> <seconds>   ACC epoch <k> <accuracy>
//   TARGET_REACHED workload=<w> target=<A> epoch=<k> train_s=<training seconds so far>
//   TARGET_NOT_REACHED workload=<w> target=<A> epochs=<E> best_acc=<accuracy>   (if never)
// --train-limit N: train on the first N training images only (the page's subset is the
// first 10,000); the test set stays whole.
// --layers LIST (cnn): a layer list instead of the recipe's network (mnist_layers_recipe:
// Adam, batch 32, no schedule); --lr LR overrides the recipe's learning rate.
// --phases (linear, mlp): the step written out op by op with a clock around each (batch
// gather, zero_grad, each layer forward and backward, loss, optimizer), printed as
//   PHASE <name> <seconds per epoch> <microseconds per step>
//
// Output lines (parsed by bench/aggregate.py, same format as the reference programs):
//   TIME <what> <seconds>           load, epoch <k>, epoch_cpu <k> (process CPU time), train, eval
//   RESULT key=value ...            medians, accuracy, final cost, peak RSS (getrusage), the
//                                   backend (device=), the first epoch apart (epoch_first=)
// The training setup is the one `nnplay-train mnist` uses (same seeds, drop_last, loader).
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nnplay/dataset.h"
#include "nnplay/error.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"
#include "nnplay/xor.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds of the whole process (all threads): robust against other programs
// competing for the cores, unlike wall time.
double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Options {
  std::string workload;
  int threads = 1;
  int epochs = -1;  // workload default
  std::string data = "data/mnist";
  std::optional<uint64_t> seed;  // the recipe's unless given
  bool phases = false;
  std::string device = "cpu";
  double target_acc = -1.0;  // off
  int64_t train_limit = 0;   // 0: the whole training set
  std::string layers;        // cnn: a layer list instead of the recipe's network
  float lr = 0.0f;           // 0: the recipe's
};

[[noreturn]] void usage(const char* msg) {
  std::fprintf(stderr,
               "%s\nusage: nnplay-bench linear|mlp|xor|machine [--threads N] [--epochs E] [--data DIR] "
               "[--seed S] [--phases] [--device cpu|cuda|auto] [--target-acc A] [--train-limit N] [--layers LIST] [--lr LR]\n",
               msg);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  if (argc < 2) usage("missing workload");
  Options o;
  o.workload = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--threads")
      o.threads = std::atoi(value().c_str());
    else if (a == "--epochs")
      o.epochs = std::atoi(value().c_str());
    else if (a == "--data")
      o.data = value();
    else if (a == "--phases")
      o.phases = true;
    else if (a == "--seed")
      o.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--device")
      o.device = value();
    else if (a == "--train-limit")
      o.train_limit = std::atoll(value().c_str());
    else if (a == "--layers")
      o.layers = value();
    else if (a == "--lr")
      o.lr = std::strtof(value().c_str(), nullptr);
    else if (a == "--target-acc") {
      std::string v = value();
      char* end = nullptr;
      o.target_acc = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(o.target_acc > 0.0 && o.target_acc <= 1.0))
        usage("--target-acc must be a number in (0, 1]");
    }
    else
      usage(("unknown option " + a).c_str());
  }
  if (o.threads < 1) usage("--threads must be >= 1");
  if (o.train_limit < 0) usage("--train-limit must be >= 0");
  if (!o.layers.empty() && o.workload != "cnn") usage("--layers applies to the cnn workload");
  if (o.device != "cpu" && o.device != "cuda" && o.device != "auto") usage("--device must be cpu, cuda or auto");
  if (o.target_acc > 0.0 && o.workload != "linear" && o.workload != "mlp" && o.workload != "cnn")
    usage("--target-acc applies to the linear, mlp and cnn workloads");
  return o;
}

// The phase table's instrument (--phases): one epoch of the trainer's step, each op timed
// on its own. Not a second training loop: it exists to measure the trainer's parts.
// Returns the mean loss.
double phase_epoch(nnplay::Backend& backend, nnplay::Sequential& model, nnplay::Optimizer& optimizer,
                   nnplay::BatchLoader& loader, std::vector<std::pair<std::string, double>>& acc) {
  auto add = [&](size_t slot, const std::string& name, Clock::time_point& t) {
    auto now = Clock::now();
    if (acc.size() <= slot) acc.resize(slot + 1);
    acc[slot].first = name;
    acc[slot].second += std::chrono::duration<double>(now - t).count();
    t = now;
  };
  nnplay::Tensor x(backend, {0}), dpred(backend, {0});
  nnplay::Labels labels(backend, 0);
  double sum = 0.0;
  int64_t steps = 0;
  loader.start_epoch();
  const size_t n = model.size();
  for (;;) {
    auto t = Clock::now();
    bool more = loader.next(x, labels);
    add(0, "gather", t);
    if (!more) break;
    model.zero_grad();
    add(1, "zero_grad", t);
    const nnplay::Tensor* h = &x;
    for (size_t i = 0; i < n; ++i) {
      h = &model.layer(i).forward(*h);
      add(2 + i, "fwd" + std::to_string(i) + "_" + model.layer(i).describe(), t);
    }
    dpred.resize(h->shape());
    sum += backend.loss_forward_backward(nnplay::LossKind::CrossEntropy, *h, nullptr, &labels, dpred);
    add(2 + n, "loss_cross_entropy", t);
    const nnplay::Tensor* g = &dpred;
    for (size_t i = n; i-- > 0;) {
      g = &model.layer(i).backward(*g, i > 0);
      add(3 + n + (n - 1 - i), "bwd" + std::to_string(i) + "_" + model.layer(i).describe(), t);
    }
    optimizer.step();
    add(3 + 2 * n, "optimizer", t);
    ++steps;
  }
  return steps ? sum / double(steps) : 0.0;
}

// linear and mlp: the same model, optimizer, loader and seeds as `nnplay-train mnist`.
int run_mnist(const Options& o, const std::string& kind) {
  const bool mlp = kind == "mlp";
  // The backend first: asking for a GPU that is not there fails before the data loads.
  std::string note;
  auto backend = nnplay::make_backend(o.device, o.threads, &note);
  if (!note.empty()) std::printf("NOTE %s\n", note.c_str());
  // Host backends keep the historical 4 decimals; a GPU epoch lasts milliseconds, so 6.
  const int prec = backend->uses_host_memory() ? 4 : 6;
  auto t0 = Clock::now();
  nnplay::Dataset train = nnplay::load_idx_dataset(o.data, nnplay::Split::Train);
  if (o.train_limit > 0) train = train.head(o.train_limit);
  nnplay::Dataset test = nnplay::load_idx_dataset(o.data, nnplay::Split::Test);
  std::printf("TIME load %.4f\n", seconds_since(t0));

  // The CLI's recipes; the MLP runs 3 epochs here unless --epochs says otherwise.
  nnplay::Recipe recipe = kind == "cnn" ? (o.layers.empty() ? nnplay::mnist_cnn_recipe(train.rows, train.cols)
                                                            : nnplay::mnist_layers_recipe(o.layers, train.rows, train.cols))
                          : mlp         ? nnplay::mnist_mlp_recipe(train.dim())
                                        : nnplay::mnist_linear_recipe(train.dim());
  if (o.seed) recipe.seed = *o.seed;
  if (o.lr > 0.0f) recipe.optimizer.lr = o.lr;
  recipe.epochs = o.epochs >= 0 ? o.epochs : (mlp ? 3 : recipe.epochs);  // cnn: its 2
  const int epochs = recipe.epochs;
  nnplay::ClassifierRun run(*backend, recipe, train);
  nnplay::Sequential& model = run.model();
  nnplay::Optimizer& optimizer = run.optimizer();
  nnplay::BatchLoader& loader = run.loader();
  nnplay::Trainer& trainer = run.trainer();

  const char* workload = kind.c_str();
  std::vector<double> epoch_s, epoch_cpu;
  double cost = 0.0;
  double eval_in_loop_s = 0.0;  // per-epoch evaluations (--target-acc), kept out of "train"
  double best_acc = 0.0;
  bool target_hit = false;
  auto t_train = Clock::now();
  std::vector<std::pair<std::string, double>> phase_acc;
  for (int e = 1; e <= epochs; ++e) {
    auto te = Clock::now();
    double ce = process_cpu_s();
    nnplay::EpochResult r;
    if (o.phases)
      r.mean_loss = phase_epoch(*backend, model, optimizer, loader, phase_acc);
    else
      r = trainer.run_epoch();
    // A GPU may still be running queued steps: reading one parameter back waits for all
    // of them (the same stream), so the epoch's time is the GPU's too. On the CPU it is a
    // 4-byte copy.
    float probe = 0.0f;
    backend->download(&probe, model.parameters().data().data(), sizeof probe);
    epoch_s.push_back(seconds_since(te));
    epoch_cpu.push_back(process_cpu_s() - ce);
    cost = r.mean_loss;
    std::printf("Epoch: %04d cost = %.9f\nTIME epoch %d %.*f\nTIME epoch_cpu %d %.4f\n", e, cost, e, prec,
                epoch_s.back(), e, epoch_cpu.back());
    if (o.target_acc > 0.0) {
      auto tv = Clock::now();
      nnplay::EvalResult ev = trainer.evaluate(test);
      double ev_s = seconds_since(tv);
      eval_in_loop_s += ev_s;
      best_acc = std::max(best_acc, ev.accuracy);
      std::printf("TIME eval_epoch %d %.*f\nACC epoch %d %.4f\n", e, prec, ev_s, e, ev.accuracy);
      if (!target_hit && ev.accuracy >= o.target_acc) {
        target_hit = true;
        double trained = std::accumulate(epoch_s.begin(), epoch_s.end(), 0.0);
        std::printf("TARGET_REACHED workload=%s target=%g epoch=%d train_s=%.6f\n", workload, o.target_acc, e,
                    trained);
      }
    }
    std::fflush(stdout);
  }
  if (o.target_acc > 0.0 && !target_hit)
    std::printf("TARGET_NOT_REACHED workload=%s target=%g epochs=%d best_acc=%.4f\n", workload, o.target_acc, epochs,
                best_acc);
  double train_s = seconds_since(t_train) - eval_in_loop_s;
  const double steps = double(loader.batches_per_epoch());
  for (const auto& [name, secs] : phase_acc)
    std::printf("PHASE %s %.5f %.2f\n", name.c_str(), secs / epochs, secs / epochs / steps * 1e6);
  auto t_eval = Clock::now();
  nnplay::EvalResult ev = trainer.evaluate(test);
  double eval_s = seconds_since(t_eval);
  std::printf("TIME train %.*f\nTIME eval %.*f\n", prec, train_s, prec, eval_s);
  // epoch_first apart: it may carry one-time set-up (a GPU's first kernels and cuBLAS
  // plans) that the median leaves out.
  std::printf(
      "RESULT workload=%s threads=%d epochs=%d steps_per_epoch=%lld epoch_median=%.*f epoch_min=%.*f "
      "epoch_cpu_median=%.4f acc=%.4f final_cost=%.9f peak_rss_mb=%.1f device=%s epoch_first=%.*f "
      "train_images=%lld lr=%g\n",
      workload, o.threads, epochs, static_cast<long long>(loader.batches_per_epoch()), prec, median(epoch_s), prec,
      epoch_s.empty() ? 0.0 : *std::min_element(epoch_s.begin(), epoch_s.end()), median(epoch_cpu), ev.accuracy,
      cost, peak_rss_mb(), backend->name(), prec, epoch_s.empty() ? 0.0 : epoch_s.front(),
      static_cast<long long>(train.count), double(recipe.optimizer.lr));
  return 0;
}

int run_xor(const Options& o) {
  std::string note;
  auto backend = nnplay::make_backend(o.device, o.threads, &note);
  if (!note.empty()) std::printf("NOTE %s\n", note.c_str());
  nnplay::XorConfig cfg;
  if (o.seed) cfg.seed = *o.seed;
  if (o.epochs >= 0) cfg.epochs = o.epochs;
  // Like the tutorial's loop, the cost is read every 100 epochs (here without printing).
  float seen = 0.0f;
  double c0 = process_cpu_s();
  auto t0 = Clock::now();
  nnplay::XorResult r = nnplay::train_xor(*backend, cfg, [&](int epoch, float loss) {
    if (epoch % 100 == 0) seen += loss;
  });
  double s = seconds_since(t0);
  double cpu = process_cpu_s() - c0;
  std::printf("TIME train %.6f\n", s);
  std::printf(
      "RESULT workload=xor threads=%d steps=%d train_s=%.6f train_cpu_s=%.6f us_per_step=%.3f final_cost=%.9f acc=%.4f "
      "peak_rss_mb=%.1f checksum=%g device=%s\n",
      o.threads, cfg.epochs, s, cpu, cfg.epochs ? s / cfg.epochs * 1e6 : 0.0, double(r.final_loss), r.accuracy,
      peak_rss_mb(), double(seen), backend->name());
  return 0;
}

// --- machine probes --------------------------------------------------------------

// Twelve independent 2-wide multiply-add chains held in registers: enough in flight to
// fill the FP pipes of one core, so two threads sharing one core gain little and two
// real cores double the rate.
double fp_work(long iters) {
  typedef double v2 __attribute__((vector_size(16)));
  v2 a0 = {1, 2}, a1 = {3, 4}, a2 = {5, 6}, a3 = {7, 8}, a4 = {9, 10}, a5 = {11, 12};
  v2 a6 = {13, 14}, a7 = {15, 16}, a8 = {17, 18}, a9 = {19, 20}, a10 = {21, 22}, a11 = {23, 24};
  const v2 m = {0.999999, 0.999999}, c = {1e-7, 1e-7};
  for (long i = 0; i < iters; ++i) {
    a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
    a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
    a8 = a8 * m + c; a9 = a9 * m + c; a10 = a10 * m + c; a11 = a11 * m + c;
  }
  v2 s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
  return s[0] + s[1];
}

// Wall time of `threads` threads each doing the same fixed amount of work.
double timed_parallel(int threads, long iters) {
  std::vector<std::thread> pool;
  std::atomic<double> sink{0.0};
  auto t0 = Clock::now();
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      double v = fp_work(iters);
      double cur = sink.load();
      while (!sink.compare_exchange_weak(cur, cur + v)) {
      }
    });
  for (auto& th : pool) th.join();
  double s = seconds_since(t0);
  if (sink.load() == 42.0) std::printf("#\n");
  return s;
}

// Sum-reduction bandwidth over `bytes` of floats (GB/s), best of `reps` passes. Eight
// independent 4-wide vector accumulators, so the adds keep up with the loads.
double read_bandwidth(size_t bytes, int reps) {
  typedef float v4 __attribute__((vector_size(16)));
  size_t n = bytes / sizeof(v4);
  std::vector<v4> v(n);
  for (v4& x : v) x = v4{1.0f, 1.0f, 1.0f, 1.0f};
  double best = 1e30, total = 0.0;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    v4 acc[8] = {};
    for (size_t i = 0; i + 8 <= n; i += 8)
      for (int j = 0; j < 8; ++j) acc[j] += v[i + size_t(j)];
    best = std::min(best, seconds_since(t0));
    for (const v4& a : acc) total += double(a[0] + a[1] + a[2] + a[3]);
  }
  if (total == 42.0) std::printf("#\n");
  return double(bytes) / best * 1e-9;
}

int run_machine() {
  const long iters = 20'000'000;
  timed_parallel(1, iters / 10);  // warm up
  std::vector<double> one, two;
  for (int r = 0; r < 9; ++r) {
    one.push_back(timed_parallel(1, iters));
    two.push_back(timed_parallel(2, iters));
  }
  // Two threads do twice the work: 2.0 = two independent cores, 1.0 = one core shared.
  // The best pair is the least disturbed by other programs; the median shows the load.
  double best = 2.0 * *std::min_element(one.begin(), one.end()) / *std::min_element(two.begin(), two.end());
  double typical = 2.0 * median(one) / median(two);
  std::printf("TIME fp_1thread %.4f\nTIME fp_2threads %.4f\n", median(one), median(two));
  double l2 = read_bandwidth(size_t(1) << 20, 200);    // 1 MiB: fits L2
  double l3 = read_bandwidth(size_t(16) << 20, 20);    // 16 MiB: L3
  double dram = read_bandwidth(size_t(512) << 20, 5);  // 512 MiB: memory
  std::printf(
      "RESULT workload=machine fp_scaling_2threads=%.2f fp_scaling_2threads_median=%.2f read_gbs_l2=%.1f "
      "read_gbs_l3=%.1f read_gbs_dram=%.1f\n",
      best, typical, l2, l3, dram);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  try {
    if (o.workload == "linear" || o.workload == "mlp" || o.workload == "cnn") return run_mnist(o, o.workload);
    if (o.workload == "xor") return run_xor(o);
    if (o.workload == "machine") return run_machine();
    usage(("unknown workload " + o.workload).c_str());
  } catch (const nnplay::Error& e) {
    std::fprintf(stderr, "nnplay-bench: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    // Anything else (a failed allocation, say) is still reported as one line and an
    // exit status, not as an abort.
    std::fprintf(stderr, "nnplay-bench: %s\n", e.what());
    return 1;
  }
}
