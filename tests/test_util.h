// Helpers shared by the test suites: small tensors from host data, and the MNIST folder.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "nnplay/tensor.h"

namespace nnplay::test {

inline Tensor make_tensor(Backend& be, const Shape& shape, const std::vector<float>& values) {
  Tensor t(be, shape);
  t.from_host(values);
  return t;
}

// The folder holding MNIST for the tests; fails the calling test (never skips) when the
// four files are not there, naming the folder and the command that fetches them.
inline std::string mnist_dir_or_fail() {
  const char* env = std::getenv("NNPLAY_MNIST_DIR");
  std::string dir = env && *env ? env : NNPLAY_MNIST_DIR;
  struct stat st;
  std::string probe = dir + "/train-images-idx3-ubyte";
  if (::stat(probe.c_str(), &st) != 0 && ::stat((probe + ".gz").c_str(), &st) != 0) {
    ADD_FAILURE() << "MNIST is missing: no train-images-idx3-ubyte[.gz] in " << dir
                  << ". Run scripts/fetch-mnist.sh (or scripts/setup.sh) first.";
    return "";
  }
  return dir;
}

}  // namespace nnplay::test
