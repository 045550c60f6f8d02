// Training checkpoints: everything needed to continue a run exactly where it stopped, in
// one safetensors file that is also a loadable model file.
//
// Tensors: the model's parameters under their usual names, plus the optimizer's buffers
// under the reserved prefix "nnplay.optimizer." (SGD: momentum_buffer; Adam: exp_avg and
// exp_avg_sq, PyTorch's names), each as one flat tensor in the parameter buffer's layout.
// Metadata: the model's (model_file.h), plus the epochs completed, the optimizer's
// scalars (SGD's first-step flag, Adam's step count), the batch loader's generator state
// (and the Dropout masks' generator's, for models with Dropout) and the run's settings. Checkpoints are taken between epochs, so a run interrupted and
// resumed ends with the same weights, bit for bit, as one that ran straight through.
#pragma once

#include <cstdint>
#include <string>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"
#include "nnplay/safetensors.h"

namespace nnplay {

// The settings a resumed run must share with the run that saved the checkpoint.
struct RunSettings {
  OptimizerConfig optimizer;
  int64_t batch = 0;
  uint64_t seed = 0;
  int64_t train_count = 0;  // training images used
  std::string dataset;      // recorded for the reader; not compared
};

// Writes a checkpoint after `epoch` completed epochs (atomically). `extra` is merged into
// the metadata.
void save_checkpoint(const std::string& path, Sequential& model, Optimizer& optimizer, const BatchLoader& loader,
                     int epoch, const RunSettings& run, const Metadata& extra = {});

// Restores the weights, the optimizer's state and the loader's generator from a checkpoint
// written for the same model and settings, and returns the number of epochs it had
// completed. Any mismatch (model, optimizer, batch size, seed, data) or malformed field
// throws Error naming it, before anything is changed.
int restore_checkpoint(const std::string& path, Sequential& model, Optimizer& optimizer, BatchLoader& loader,
                       const RunSettings& run);
int restore_checkpoint(const StFile& file, Sequential& model, Optimizer& optimizer, BatchLoader& loader,
                       const RunSettings& run);

}  // namespace nnplay
