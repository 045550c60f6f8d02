// How training advances: in bounded time slices inside the frame (the browser page,
// single threaded), or on a worker thread whose state the panels read as a snapshot
// (desktop). Its own header so that the runners need nothing from the app.
#pragma once

namespace nnplay::ui {

enum class TrainingMode { PerFrameSlices, WorkerThread };

}  // namespace nnplay::ui
