// What a device backend (CUDA) adds to the Backend interface so that a whole epoch runs
// without waiting for the host: step losses kept in its memory, and an epoch recorded
// once and replayed. Only DeviceEpochs (src/device_epochs.h) uses it; the CPU backend,
// the trainer's step and the layers know nothing of it. A backend offers it through
// Backend::device_steps().
#pragma once

#include <cstdint>
#include <memory>

#include "nnplay/backend.h"
#include "nnplay/tensor.h"

namespace nnplay {

// The losses of a run of training steps, kept in a backend's memory so that a step needs
// no round trip to the host (a GPU would otherwise idle each step while the host reads
// the loss). Step i's loss goes to losses[i]. halt holds 0 while every loss is finite and
// becomes 1 + i at the first step i whose loss is NaN or infinite; the optimizer updates
// given halt do nothing from then on, so the weights stay as they were before step i.
// The host reads the log when it chooses (once per epoch on a GPU).
struct StepLog {
  Tensor losses;  // one float per step
  Labels halt;    // one int32
};

class DeviceSteps {
 public:
  virtual ~DeviceSteps() = default;

  // Backend::loss_forward_backward whose loss goes to log.losses[i] instead of to the
  // host; a loss that is not finite halts the log unless it is halted already.
  virtual void loss_forward_backward_logged(LossKind kind, const Tensor& pred, const Tensor* targets,
                                            const Labels* labels, Tensor& dpred, StepLog& log, int64_t i) = 0;

  // Recording, for a backend that can replay queued work (CUDA Graphs): the ops called
  // between begin_recording() and end_recording() are recorded, not run, and replay()
  // runs them as recorded, except that each optimizer update's step number is
  // step_shift higher (an epoch replayed later is later in Adam's count). While
  // recording, no op may wait for the host (download, loss_forward_backward) and no
  // memory may be allocated or released. A recording holds the addresses of the tensors
  // it uses, so it is only valid while none of this backend's memory has been allocated
  // or released since it was made: replay() does nothing and returns false otherwise.
  class Recording {
   public:
    virtual ~Recording() = default;
    virtual size_t operations() const = 0;  // kernels, GEMMs and copies recorded
  };
  virtual bool can_record() const = 0;
  virtual void begin_recording() = 0;
  virtual std::unique_ptr<Recording> end_recording() = 0;
  virtual void cancel_recording() = 0;  // after an error while recording
  virtual bool replay(const Recording& recording, long step_shift) = 0;
};

}  // namespace nnplay
