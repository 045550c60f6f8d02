// The subcommands of nnplay-train. Each add_*_command registers its options on the app
// and a callback that runs it; errors are thrown (nnplay::Error) and reported by main.
#pragma once

#include <CLI/CLI.hpp>

namespace nnplay::cli {

void add_gates_command(CLI::App& app);
void add_xor_command(CLI::App& app);
void add_softmax_command(CLI::App& app);
void add_mnist_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_step_command(CLI::App& app);

}  // namespace nnplay::cli
