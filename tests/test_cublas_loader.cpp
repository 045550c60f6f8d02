// The cuBLAS loader (engine/src/cuda/cublas_loader.h), which needs no GPU: the toolkit's
// cuBLAS opens and has the six functions the CUDA backend calls; a missing library, or
// one without those functions, gives one error naming it, and the next candidate is tried.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "cuda/cublas_loader.h"

using namespace nnplay::cuda;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(CublasLoader, CandidatesAreTheSonameThenTheToolkitsCopy) {
  std::vector<std::string> c = cublas_candidates();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(c[0].starts_with("libcublas.so.")) << c[0];
  EXPECT_EQ(c[0].find('/'), std::string::npos) << "the first is searched for by name: " << c[0];
  EXPECT_TRUE(c[1].starts_with("/") && c[1].ends_with("/" + c[0])) << c[1];
  EXPECT_EQ(::access(c[1].c_str(), R_OK), 0) << c[1] << " is not readable: the toolkit the build used has no cuBLAS";
}

TEST(CublasLoader, OpensTheToolkitsCublas) {
  std::string why;
  std::optional<CublasApi> api = load_cublas(cublas_candidates(), &why);
  ASSERT_TRUE(api) << why;
  EXPECT_TRUE(api->create && api->destroy && api->set_math_mode && api->set_stream && api->set_workspace && api->sgemm);
  // The process-wide instance is the same library, loaded once.
  const CublasApi* shared = cublas(&why);
  ASSERT_NE(shared, nullptr) << why;
  EXPECT_EQ(shared, cublas());
  EXPECT_EQ(shared->sgemm, api->sgemm);
}

TEST(CublasLoader, MissingLibraryIsOneClearError) {
  std::string why;
  EXPECT_FALSE(load_cublas({"libnnplay-no-such-cublas.so.0", "/nonexistent/libcublas.so.0"}, &why));
  EXPECT_TRUE(contains(why, "cannot load cuBLAS")) << why;
  EXPECT_TRUE(contains(why, "libnnplay-no-such-cublas.so.0: cannot open shared object file")) << why;
  EXPECT_TRUE(contains(why, "/nonexistent/libcublas.so.0: cannot open shared object file")) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos) << why;
}

TEST(CublasLoader, LibraryWithoutTheFunctionsIsSkipped) {
  // zlib is a real library the engine already links, but not cuBLAS.
  std::string why;
  EXPECT_FALSE(load_cublas({"libz.so.1"}, &why));
  EXPECT_TRUE(contains(why, "undefined symbol: cublasCreate_v2")) << why;
  // The toolkit's copy, after it, is then used.
  std::optional<CublasApi> api = load_cublas({"libz.so.1", cublas_candidates()[1]}, &why);
  ASSERT_TRUE(api) << why;
  EXPECT_NE(api->sgemm, nullptr);
}
