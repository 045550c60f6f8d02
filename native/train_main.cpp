// nnplay-train: the headless command-line trainer. Subcommands reproduce the tutorial's
// experiments (gates, xor, softmax, mnist); eval scores a saved weights file. Exit
// status: 0 success, 2 bad input or options (one line naming the problem), 3 training
// diverged (NaN/inf loss).
#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "nnplay/error.h"

int main(int argc, char** argv) {
  CLI::App app{"nnplay-train: train the first neural networks (perceptrons, XOR, softmax regression, MNIST)"};
  app.set_version_flag("--version", std::string("nnplay ") + NNPLAY_VERSION);
  app.require_subcommand(1);
  nnplay::cli::add_gates_command(app);
  nnplay::cli::add_xor_command(app);
  nnplay::cli::add_softmax_command(app);
  nnplay::cli::add_mnist_command(app);
  nnplay::cli::add_eval_command(app);
  nnplay::cli::add_step_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints the usage message (or --help / --version)
    return code == 0 ? 0 : 2;
  } catch (const nnplay::DivergenceError& e) {
    fmt::print(stderr, "nnplay-train: training diverged: {}\n", e.what());
    return 3;
  } catch (const nnplay::Error& e) {
    fmt::print(stderr, "nnplay-train: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "nnplay-train: error: out of memory\n");
    return 2;
  }
  return 0;
}
