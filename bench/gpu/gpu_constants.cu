// gpu-constants: measures the constants of the GPU it runs on that bound nnplay's CUDA
// training steps, so that bench/gpu/aggregate.py can say how far an epoch is from each
// limit: the cost of a kernel launch (back to back, and with a wait for the host), the
// cost of one node of a replayed CUDA Graph, cuBLAS SGEMM (FP32 and TF32) on every GEMM
// shape of the tutorial's linear model and of the MLP, device-to-device copy bandwidth,
// and host-to-device bandwidth for a transfer the size of MNIST's training set.
//
// Output, one line each (parsed by bench/gpu/aggregate.py):
//   DEVICE <name>
//   CONST <name>=<value> unit=<unit>
//   GEMM model=<m> op=<fwd|dW|dx> layer=<i> M=<m> N=<n> K=<k> math=<fp32|tf32> us=<t> host_us=<t> gflops=<r>
// Every CUDA and cuBLAS call is checked: a failure prints file:line, the call and the
// error, and exits 1. Without a usable GPU it exits 2 with one line saying why.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cuda/cuda_check.h"  // the engine's cuBLAS status names

namespace {

void cuda_check(cudaError_t err, const char* call, const char* file, int line) {
  if (err == cudaSuccess) return;
  std::fprintf(stderr, "gpu-constants: %s:%d: %s failed: %s (%s)\n", file, line, call, cudaGetErrorString(err),
               cudaGetErrorName(err));
  std::exit(1);
}

void cublas_check(cublasStatus_t s, const char* call, const char* file, int line) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  std::fprintf(stderr, "gpu-constants: %s:%d: %s failed: %s (%d)\n", file, line, call, nnplay::cuda::cublas_status_name(s),
               int(s));
  std::exit(1);
}

#define CK(call) cuda_check((call), #call, __FILE__, __LINE__)
#define CB(call) cublas_check((call), #call, __FILE__, __LINE__)
// A kernel launch reports a bad configuration only through cudaGetLastError.
#define CK_LAUNCH() CK(cudaGetLastError())

using Clock = std::chrono::steady_clock;
double host_us(Clock::time_point t0) { return std::chrono::duration<double, std::micro>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void print_const(const char* name, double value, const char* unit) {
  std::printf("CONST %s=%.4f unit=%s\n", name, value, unit);
  std::fflush(stdout);  // a later failure must not lose what was measured
}

__global__ void empty_kernel() {}

// Microseconds between two recorded events.
double event_us(cudaEvent_t a, cudaEvent_t b) {
  float ms = 0.0f;
  CK(cudaEventElapsedTime(&ms, a, b));
  return double(ms) * 1e3;
}

struct Events {
  cudaEvent_t a = nullptr, b = nullptr;
  Events() {
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
  }
  ~Events() {
    cudaEventDestroy(a);
    cudaEventDestroy(b);
  }
};

// --- kernel launches -------------------------------------------------------------

void measure_launches(cudaStream_t s) {
  Events ev;
  const int n = 20000;
  for (int i = 0; i < 1000; ++i) empty_kernel<<<1, 1, 0, s>>>();  // warm-up: module load, queues
  CK_LAUNCH();
  CK(cudaStreamSynchronize(s));

  // Back to back on one stream: the host's cost to enqueue, and the rate the GPU
  // retires them (the event span); the steady state of a step that never waits.
  std::vector<double> enqueue, wall, gpu;
  for (int rep = 0; rep < 5; ++rep) {
    auto t0 = Clock::now();
    CK(cudaEventRecord(ev.a, s));
    for (int i = 0; i < n; ++i) empty_kernel<<<1, 1, 0, s>>>();
    CK_LAUNCH();
    CK(cudaEventRecord(ev.b, s));
    double enq = host_us(t0);
    CK(cudaStreamSynchronize(s));
    wall.push_back(host_us(t0) / n);
    enqueue.push_back(enq / n);
    gpu.push_back(event_us(ev.a, ev.b) / n);
  }
  print_const("launch_us", median(wall), "us_per_kernel_back_to_back_wall");
  print_const("launch_enqueue_us", median(enqueue), "us_per_kernel_host_enqueue");
  print_const("launch_gpu_us", median(gpu), "us_per_kernel_gpu_event_span");

  // One launch, then wait for it: what a step pays each time the host needs a result.
  std::vector<double> rt;
  for (int i = 0; i < 2000; ++i) {
    auto t0 = Clock::now();
    empty_kernel<<<1, 1, 0, s>>>();
    CK_LAUNCH();
    CK(cudaStreamSynchronize(s));
    rt.push_back(host_us(t0));
  }
  print_const("launch_sync_us", median(rt), "us_per_launch_plus_stream_sync");

  // A 4-byte device-to-host read: the round trip of reading a loss back.
  float* d = nullptr;
  float h = 0.0f;
  CK(cudaMalloc(&d, sizeof(float)));
  CK(cudaMemsetAsync(d, 0, sizeof(float), s));
  std::vector<double> rd;
  for (int i = 0; i < 2000; ++i) {
    auto t0 = Clock::now();
    CK(cudaMemcpyAsync(&h, d, sizeof(float), cudaMemcpyDeviceToHost, s));
    CK(cudaStreamSynchronize(s));
    rd.push_back(host_us(t0));
  }
  print_const("d2h_4byte_sync_us", median(rd), "us_per_read_back");
  CK(cudaFree(d));
}

// --- CUDA Graphs ------------------------------------------------------------------

// A graph of `nodes` empty kernels captured from one stream, replayed back to back:
// returns the median microseconds per replay (GPU event span and host wall).
void graph_replay_us(cudaStream_t s, int nodes, int reps, double* gpu_us, double* wall_us) {
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
  for (int i = 0; i < nodes; ++i) empty_kernel<<<1, 1, 0, s>>>();
  CK_LAUNCH();
  CK(cudaStreamEndCapture(s, &graph));
  CK(cudaGraphInstantiate(&exec, graph, 0));
  for (int i = 0; i < 3; ++i) CK(cudaGraphLaunch(exec, s));  // warm-up (upload)
  CK(cudaStreamSynchronize(s));
  Events ev;
  std::vector<double> g, w;
  for (int rep = 0; rep < 7; ++rep) {
    auto t0 = Clock::now();
    CK(cudaEventRecord(ev.a, s));
    for (int i = 0; i < reps; ++i) CK(cudaGraphLaunch(exec, s));
    CK(cudaEventRecord(ev.b, s));
    CK(cudaStreamSynchronize(s));
    w.push_back(host_us(t0) / reps);
    g.push_back(event_us(ev.a, ev.b) / reps);
  }
  *gpu_us = median(g);
  *wall_us = median(w);
  CK(cudaGraphExecDestroy(exec));
  CK(cudaGraphDestroy(graph));
}

void measure_graphs(cudaStream_t s) {
  const int big = 1000;
  double g_big = 0, w_big = 0, g_one = 0, w_one = 0;
  graph_replay_us(s, big, 20, &g_big, &w_big);
  graph_replay_us(s, 1, 2000, &g_one, &w_one);
  // Per node: the slope between a 1-node and a 1000-node graph, so the fixed cost of
  // launching a graph is not spread over its nodes.
  print_const("graph_node_us", (w_big - w_one) / (big - 1), "us_per_node_1000_node_graph_replay");
  print_const("graph_node_us_naive", w_big / big, "us_per_node_replay_time_over_nodes");
  print_const("graph_1000_replay_us", w_big, "us_per_replay_1000_empty_nodes");
  print_const("graph_launch_us", w_one, "us_per_replay_1_node_graph_back_to_back");
  print_const("graph_1000_replay_gpu_us", g_big, "us_per_replay_gpu_event_span");
}

// --- copies -----------------------------------------------------------------------

void measure_copies(cudaStream_t s) {
  Events ev;
  // Device to device, 256 MiB: far beyond the L2 cache, so it is memory bandwidth.
  const size_t big = size_t(256) << 20;
  void *a = nullptr, *b = nullptr;
  CK(cudaMalloc(&a, big));
  CK(cudaMalloc(&b, big));
  CK(cudaMemsetAsync(a, 1, big, s));
  CK(cudaMemcpyAsync(b, a, big, cudaMemcpyDeviceToDevice, s));  // warm-up
  CK(cudaStreamSynchronize(s));
  std::vector<double> t;
  for (int rep = 0; rep < 15; ++rep) {
    CK(cudaEventRecord(ev.a, s));
    CK(cudaMemcpyAsync(b, a, big, cudaMemcpyDeviceToDevice, s));
    CK(cudaEventRecord(ev.b, s));
    CK(cudaStreamSynchronize(s));
    t.push_back(event_us(ev.a, ev.b));
  }
  double us = median(t);
  // A copy of B bytes reads B and writes B: both figures, named so nobody mixes them up.
  print_const("d2d_copy_gbs", double(big) / us * 1e-3, "GB_per_s_bytes_copied_256MiB");
  print_const("d2d_traffic_gbs", 2.0 * double(big) / us * 1e-3, "GB_per_s_read_plus_write");
  CK(cudaFree(a));
  CK(cudaFree(b));

  // Host to device, the size of MNIST's training images (60,000 x 784 bytes): once from
  // pinned memory, once from ordinary (pageable) memory as the engine uploads it.
  const size_t mnist = size_t(60000) * 784;
  void* dev = nullptr;
  void* pinned = nullptr;
  CK(cudaMalloc(&dev, mnist));
  CK(cudaMallocHost(&pinned, mnist));
  std::vector<unsigned char> pageable(mnist, 1);
  for (int pass = 0; pass < 2; ++pass) {
    const void* src = pass == 0 ? pinned : static_cast<const void*>(pageable.data());
    CK(cudaMemcpy(dev, src, mnist, cudaMemcpyHostToDevice));  // warm-up
    std::vector<double> h;
    for (int rep = 0; rep < 7; ++rep) {
      auto t0 = Clock::now();
      CK(cudaMemcpy(dev, src, mnist, cudaMemcpyHostToDevice));
      h.push_back(host_us(t0));
    }
    double hu = median(h);
    print_const(pass == 0 ? "h2d_mnist_pinned_gbs" : "h2d_mnist_pageable_gbs", double(mnist) / hu * 1e-3,
                "GB_per_s_47MB");
    print_const(pass == 0 ? "h2d_mnist_pinned_ms" : "h2d_mnist_pageable_ms", hu * 1e-3, "ms_47MB");
  }
  CK(cudaFreeHost(pinned));
  CK(cudaFree(dev));
}

// --- cuBLAS SGEMM -------------------------------------------------------------------

struct GemmShape {
  const char* model;
  const char* op;  // fwd: y = x W^T, dW: dW += dy^T x, dx: dx = dy W
  int layer;
  int batch, in, out;
};

// Row-major C[M,N] = op(A)[M,K] op(B)[K,N], as the engine's linear layers compute it, with
// the operands laid out as the layers hold them. cuBLAS is column-major: a row-major
// matrix is its transpose there, so the call computes C^T = op(B)^T op(A)^T.
struct RowMajorGemm {
  bool ta, tb;
  int M, N, K;
  float beta;
};

RowMajorGemm layout(const GemmShape& g) {
  if (std::string(g.op) == "fwd") return {false, true, g.batch, g.out, g.in, 0.0f};  // x[b,in] W[out,in]^T
  if (std::string(g.op) == "dW") return {true, false, g.out, g.in, g.batch, 1.0f};   // dy[b,out]^T x[b,in]
  return {false, false, g.batch, g.in, g.out, 0.0f};                                // dy[b,out] W[out,in]
}

void run_gemm(cublasHandle_t h, const RowMajorGemm& r, const float* A, const float* B, float* C) {
  const float alpha = 1.0f;
  // Leading dimensions are the row lengths of the row-major arrays as stored.
  int lda = r.ta ? r.M : r.K;
  int ldb = r.tb ? r.K : r.N;
  CB(cublasSgemm(h, r.tb ? CUBLAS_OP_T : CUBLAS_OP_N, r.ta ? CUBLAS_OP_T : CUBLAS_OP_N, r.N, r.M, r.K, &alpha, B,
                 ldb, A, lda, &r.beta, C, r.N));
}

void measure_gemms(cudaStream_t s) {
  const GemmShape shapes[] = {
      // The linear model, batch 100: 784 -> 10. The first layer needs no dx.
      {"linear", "fwd", 0, 100, 784, 10},
      {"linear", "dW", 0, 100, 784, 10},
      // The MLP, batch 128: 784 -> 256 -> 256 -> 10.
      {"mlp", "fwd", 0, 128, 784, 256},
      {"mlp", "dW", 0, 128, 784, 256},
      {"mlp", "fwd", 1, 128, 256, 256},
      {"mlp", "dW", 1, 128, 256, 256},
      {"mlp", "dx", 1, 128, 256, 256},
      {"mlp", "fwd", 2, 128, 256, 10},
      {"mlp", "dW", 2, 128, 256, 10},
      {"mlp", "dx", 2, 128, 256, 10},
  };
  cublasHandle_t h = nullptr;
  CB(cublasCreate(&h));
  CB(cublasSetStream(h, s));
  Events ev;
  const size_t max_elems = size_t(1) << 20;  // every operand of every shape fits in 1 Mi floats
  float *A = nullptr, *B = nullptr, *C = nullptr;
  CK(cudaMalloc(&A, max_elems * sizeof(float)));
  CK(cudaMalloc(&B, max_elems * sizeof(float)));
  CK(cudaMalloc(&C, max_elems * sizeof(float)));
  // Small values: accumulating dW over thousands of calls stays finite.
  std::vector<float> init(max_elems);
  for (size_t i = 0; i < max_elems; ++i) init[i] = float(int(i % 17) - 8) * 1e-4f;
  CK(cudaMemcpy(A, init.data(), max_elems * sizeof(float), cudaMemcpyHostToDevice));
  CK(cudaMemcpy(B, init.data(), max_elems * sizeof(float), cudaMemcpyHostToDevice));
  CK(cudaMemset(C, 0, max_elems * sizeof(float)));

  const int calls = 20, reps = 51;
  const std::pair<const char*, cublasMath_t> modes[] = {{"fp32", CUBLAS_DEFAULT_MATH},
                                                        {"tf32", CUBLAS_TF32_TENSOR_OP_MATH}};
  for (const auto& [mode_name, mode] : modes) {
    CB(cublasSetMathMode(h, mode));
    for (const GemmShape& g : shapes) {
      RowMajorGemm r = layout(g);
      for (int i = 0; i < 20; ++i) run_gemm(h, r, A, B, C);  // warm-up: heuristics, kernel load
      CK(cudaStreamSynchronize(s));
      // Each rep: `calls` GEMMs back to back between two events. The GPU time per GEMM
      // is the span over calls; the host's enqueue time per call says whether the GPU
      // could be kept busy by launches alone.
      std::vector<double> t, host;
      for (int rep = 0; rep < reps; ++rep) {
        auto t0 = Clock::now();
        CK(cudaEventRecord(ev.a, s));
        for (int i = 0; i < calls; ++i) run_gemm(h, r, A, B, C);
        CK(cudaEventRecord(ev.b, s));
        host.push_back(host_us(t0) / calls);
        CK(cudaStreamSynchronize(s));
        t.push_back(event_us(ev.a, ev.b) / calls);
      }
      double us = median(t);
      double flops = 2.0 * r.M * r.N * r.K;
      std::printf("GEMM model=%s op=%s layer=%d M=%d N=%d K=%d math=%s us=%.3f host_us=%.3f gflops=%.1f\n", g.model,
                  g.op, g.layer, r.M, r.N, r.K, mode_name, us, median(host), flops / us * 1e-3);
      std::fflush(stdout);
    }
  }
  CK(cudaFree(A));
  CK(cudaFree(B));
  CK(cudaFree(C));
  CB(cublasDestroy(h));
}

}  // namespace

int main() {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count == 0) {
    std::fprintf(stderr, "gpu-constants: no usable CUDA device (%s)\n",
                 err != cudaSuccess ? cudaGetErrorString(err) : "no device found");
    return 2;
  }
  CK(cudaSetDevice(0));
  cudaDeviceProp prop{};
  CK(cudaGetDeviceProperties(&prop, 0));
  int driver = 0, runtime = 0, sm_clock_khz = 0, mem_clock_khz = 0, bus_bits = 0;
  CK(cudaDriverGetVersion(&driver));
  CK(cudaRuntimeGetVersion(&runtime));
  // Clocks moved out of cudaDeviceProp in CUDA 13; attributes exist in every version.
  CK(cudaDeviceGetAttribute(&sm_clock_khz, cudaDevAttrClockRate, 0));
  CK(cudaDeviceGetAttribute(&mem_clock_khz, cudaDevAttrMemoryClockRate, 0));
  CK(cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0));
  std::printf("DEVICE %s\n", prop.name);
  print_const("compute_capability", prop.major + 0.1 * prop.minor, "major.minor");
  print_const("sm_count", prop.multiProcessorCount, "SMs");
  print_const("sm_clock_mhz", sm_clock_khz / 1e3, "MHz_max");
  print_const("memory_gib", double(prop.totalGlobalMem) / double(1ull << 30), "GiB");
  // DDR: two transfers per clock.
  print_const("memory_peak_gbs", 2.0 * mem_clock_khz * 1e3 * (bus_bits / 8.0) * 1e-9, "GB_per_s_theoretical");
  print_const("l2_mib", prop.l2CacheSize / double(1 << 20), "MiB");
  print_const("driver_version", driver, "cuda_driver_api_version");
  print_const("runtime_version", runtime, "cuda_runtime_version");

  cudaStream_t s = nullptr;
  CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  auto t0 = Clock::now();
  measure_launches(s);
  measure_graphs(s);
  measure_copies(s);
  measure_gemms(s);
  CK(cudaStreamDestroy(s));
  print_const("runtime_s", host_us(t0) * 1e-6, "s");
  return 0;
}
