// The Backend interface's default implementations of deferred losses (StepLog) and of
// recording: what every backend inherits unless it has a faster way of its own.
#include <cmath>
#include <string>

#include "nnplay/backend.h"
#include "nnplay/error.h"

namespace nnplay {

// Through the host: the loss comes back, then goes into the log. For host memory these
// copies are plain memcpys; a device backend overrides this to keep it all on the device.
void Backend::loss_forward_backward_logged(LossKind kind, const Tensor& pred, const Tensor* targets,
                                           const Labels* labels, Tensor& dpred, StepLog& log, int64_t i) {
  if (i < 0 || i >= log.losses.numel() || log.halt.size() < 1)
    throw Error("loss log: step " + std::to_string(i) + " is outside a log of " + std::to_string(log.losses.numel()) +
                " steps");
  const float value = loss_forward_backward(kind, pred, targets, labels, dpred);
  upload(log.losses.data() + i, &value, sizeof value);
  if (!std::isfinite(value)) {
    int32_t halt = 0;
    download(&halt, log.halt.data(), sizeof halt);
    if (halt == 0) {
      halt = int32_t(i + 1);
      upload(log.halt.data(), &halt, sizeof halt);
    }
  }
}

void Backend::begin_recording() { throw Error(std::string("the ") + name() + " backend cannot record its work"); }

std::unique_ptr<Backend::Recording> Backend::end_recording() {
  throw Error(std::string("the ") + name() + " backend cannot record its work");
}

bool Backend::replay(const Recording&, long) { return false; }

}  // namespace nnplay
