// The IDX reader: good files raw and gzipped, and every kind of bad file gives one
// clear error naming the file and the problem.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "nnplay/dataset.h"
#include "nnplay/error.h"
#include "nnplay/idx.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/nnplay-idx-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void put_be32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
}

std::vector<uint8_t> idx_images(uint32_t count, uint32_t rows, uint32_t cols, uint32_t magic = 0x803) {
  std::vector<uint8_t> v;
  put_be32(v, magic);
  put_be32(v, count);
  put_be32(v, rows);
  put_be32(v, cols);
  for (uint32_t i = 0; i < count * rows * cols; ++i) v.push_back(uint8_t(i * 7));
  return v;
}

std::vector<uint8_t> idx_labels(uint32_t count, uint8_t max_label = 9) {
  std::vector<uint8_t> v;
  put_be32(v, 0x801);
  put_be32(v, count);
  for (uint32_t i = 0; i < count; ++i) v.push_back(uint8_t(i % (max_label + 1u)));
  return v;
}

void write_raw(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<uint8_t> gzip_bytes(const std::vector<uint8_t>& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::vector<uint8_t> out(deflateBound(&zs, uLong(data.size())) + 64);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = uInt(data.size());
  zs.next_out = out.data();
  zs.avail_out = uInt(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A gzip file whose stream starts with `head` and then inflates to `zero_mib` MiB of
// zeros, made without compressing them all: a chunk deflated with Z_FULL_FLUSH refers to
// nothing before it, so its bytes can be repeated. (The trailer's CRC is that of one
// chunk: readers must fail long before they reach it.)
std::vector<uint8_t> gzip_bomb(const std::vector<uint8_t>& head, size_t zero_mib) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  auto deflate_some = [&](const std::vector<uint8_t>& in, int flush) {
    std::vector<uint8_t> out(deflateBound(&zs, uLong(in.size())) + 1024);
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = uInt(in.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    deflate(&zs, flush);
    out.resize(out.size() - zs.avail_out);
    return out;
  };
  std::vector<uint8_t> gz = deflate_some(head, Z_FULL_FLUSH);
  const std::vector<uint8_t> chunk = deflate_some(std::vector<uint8_t>(1 << 20, 0), Z_FULL_FLUSH);
  for (size_t i = 0; i < zero_mib; ++i) gz.insert(gz.end(), chunk.begin(), chunk.end());
  const std::vector<uint8_t> tail = deflate_some({}, Z_FINISH);
  gz.insert(gz.end(), tail.begin(), tail.end());
  deflateEnd(&zs);
  return gz;
}

std::vector<uint8_t> header_only(uint32_t magic, std::initializer_list<uint32_t> dims) {
  std::vector<uint8_t> v;
  put_be32(v, magic);
  for (uint32_t d : dims) put_be32(v, d);
  return v;
}

// The process's peak resident memory so far, in MiB (0 where it cannot be read).
long peak_rss_mib() {
  struct rusage ru {};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return ru.ru_maxrss / 1024;
}

// Runs f, expects an Error whose message contains every one of the fragments.
template <typename F>
void expect_error(F f, std::initializer_list<std::string> fragments) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing '" << *fragments.begin() << "'";
  } catch (const Error& e) {
    std::string msg = e.what();
    for (const std::string& frag : fragments) EXPECT_NE(msg.find(frag), std::string::npos) << "message: " << msg;
  }
}

}  // namespace

TEST(Idx, ReadsRawAndGzipIdentically) {
  TempDir d;
  auto img = idx_images(5, 3, 4);
  write_raw(d.file("a"), img);
  write_raw(d.file("a.gz"), gzip_bytes(img));
  IdxImages raw = read_idx_images(d.file("a")), gz = read_idx_images(d.file("a.gz"));
  EXPECT_EQ(raw.count, 5);
  EXPECT_EQ(raw.rows, 3);
  EXPECT_EQ(raw.cols, 4);
  EXPECT_EQ(raw.pixels, gz.pixels);
  EXPECT_EQ(raw.pixels.size(), 60u);
  EXPECT_EQ(raw.pixels[3], uint8_t(21));
  write_raw(d.file("l"), idx_labels(5));
  EXPECT_EQ(read_idx_labels(d.file("l")).labels, (std::vector<uint8_t>{0, 1, 2, 3, 4}));
}

TEST(Idx, MissingFile) { expect_error([] { read_idx_images("/nonexistent/x-idx3-ubyte"); }, {"/nonexistent/x-idx3-ubyte", "cannot open"}); }

TEST(Idx, WrongMagicNamesBothNumbers) {
  TempDir d;
  write_raw(d.file("labels-as-images"), idx_labels(4));
  expect_error([&] { read_idx_images(d.file("labels-as-images")); },
               {"labels-as-images", "wrong magic number 0x00000801", "0x00000803", "label file"});
  write_raw(d.file("junk"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', '!', '!', '!', '!'});
  expect_error([&] { read_idx_labels(d.file("junk")); }, {"junk", "wrong magic number"});
}

TEST(Idx, TruncatedRawFile) {
  TempDir d;
  auto img = idx_images(10, 4, 4);
  img.resize(img.size() - 5);
  write_raw(d.file("t"), img);
  expect_error([&] { read_idx_images(d.file("t")); }, {d.file("t"), "truncated"});
  write_raw(d.file("h"), {0, 0, 8, 3, 0, 0});
  expect_error([&] { read_idx_images(d.file("h")); }, {"truncated"});
  write_raw(d.file("empty"), {});
  expect_error([&] { read_idx_images(d.file("empty")); }, {"too short"});
}

TEST(Idx, TrailingBytes) {
  TempDir d;
  auto lab = idx_labels(4);
  lab.push_back(1);
  write_raw(d.file("x"), lab);
  expect_error([&] { read_idx_labels(d.file("x")); }, {"unexpected bytes"});
}

TEST(Idx, DimensionsWhoseProductOverflows) {
  TempDir d;
  std::vector<uint8_t> v;
  put_be32(v, 0x803);
  put_be32(v, 0xFFFFFFFFu);
  put_be32(v, 0xFFFFFFFFu);
  put_be32(v, 0xFFFFFFFFu);
  write_raw(d.file("o"), v);
  expect_error([&] { read_idx_images(d.file("o")); }, {d.file("o"), "overflow"});
  // Large but not overflowing: must be reported as truncated, not allocated.
  std::vector<uint8_t> w;
  put_be32(w, 0x803);
  put_be32(w, 60000);
  put_be32(w, 65535);
  put_be32(w, 65535);
  write_raw(d.file("big"), w);
  expect_error([&] { read_idx_images(d.file("big")); }, {"truncated"});
}

TEST(Idx, GzipThatBreaksOff) {
  TempDir d;
  auto gz = gzip_bytes(idx_images(50, 8, 8));
  gz.resize(gz.size() / 2);
  write_raw(d.file("cut.gz"), gz);
  expect_error([&] { read_idx_images(d.file("cut.gz")); }, {"cut.gz", "gzip stream breaks off"});
}

TEST(Idx, CorruptGzip) {
  TempDir d;
  auto gz = gzip_bytes(idx_images(50, 8, 8));
  for (size_t i = 20; i < 40 && i < gz.size(); ++i) gz[i] ^= 0x5A;
  write_raw(d.file("bad.gz"), gz);
  expect_error([&] { read_idx_images(d.file("bad.gz")); }, {"bad.gz", "gzip"});
  // A flipped CRC in the trailer is caught too.
  auto gz2 = gzip_bytes(idx_images(5, 2, 2));
  gz2[gz2.size() - 6] ^= 0xFF;
  write_raw(d.file("crc.gz"), gz2);
  expect_error([&] { read_idx_images(d.file("crc.gz")); }, {"crc.gz", "corrupt gzip"});
}

TEST(Idx, GzipThatInflatesToGigabytesFailsAtTheFirstByteTooMany) {
  // 4 MB of gzip holding 10 labels and then 4 GiB of zeros: the reader allocates what the
  // header promises (10 bytes) and stops at the first byte past it, in well under a second.
  TempDir d;
  std::vector<uint8_t> head = idx_labels(10);
  write_raw(d.file("bomb.gz"), gzip_bomb(head, 4096));
  const long rss_before = peak_rss_mib();
  const auto t0 = std::chrono::steady_clock::now();
  expect_error([&] { read_idx_labels(d.file("bomb.gz")); },
               {"bomb.gz", "inflates to more than the 10 bytes of data its header promises"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_LT(peak_rss_mib() - rss_before, 64) << "the reader's memory must not follow the stream";
}

TEST(Idx, GzipWhoseHeaderPromisesMoreThanItCanHold) {
  TempDir d;
  // 1000 images of 1000x1000 (1 GB) promised by a file of a few hundred bytes: deflate
  // cannot inflate that far, so this fails before anything is allocated.
  write_raw(d.file("promise.gz"), gzip_bytes(header_only(0x803, {1000, 1000, 1000})));
  const long rss_before = peak_rss_mib();
  expect_error([&] { read_idx_images(d.file("promise.gz")); },
               {"promise.gz", "truncated: header promises 1000000000 bytes of data", "cannot inflate to more than"});
  EXPECT_LT(peak_rss_mib() - rss_before, 64);
  // A complete stream (its CRC holds) with less data than promised is truncated too.
  std::vector<uint8_t> short_labels = header_only(0x801, {1000});
  for (int i = 0; i < 500; ++i) short_labels.push_back(uint8_t(i * 37 % 251));
  write_raw(d.file("short.gz"), gzip_bytes(short_labels));
  expect_error([&] { read_idx_labels(d.file("short.gz")); },
               {"short.gz", "truncated: header promises 1000 bytes of data, file holds 500"});
  // Beyond what any IDX dataset needs (about 4 GB here) is refused outright.
  write_raw(d.file("huge.gz"), gzip_bytes(header_only(0x801, {4000000000u})));
  expect_error([&] { read_idx_labels(d.file("huge.gz")); }, {"huge.gz", "more than the 2 GiB this reader accepts"});
}

TEST(Idx, RawFileWhoseHeaderPromisesMoreIsRefusedBeforeReading) {
  TempDir d;
  // 4 GB promised by a 8-byte file: refused from the file's length, before reading.
  write_raw(d.file("raw"), header_only(0x801, {4000000000u}));
  expect_error([&] { read_idx_labels(d.file("raw")); },
               {"raw", "truncated: header promises 4000000000 bytes of data, file holds 0"});
}

TEST(Idx, BytesInMemoryReadLikeFiles) {
  const auto img = idx_images(3, 2, 2);
  const auto gz = gzip_bytes(img);
  IdxImages a = parse_idx_images(img.data(), img.size(), "raw bytes");
  IdxImages b = parse_idx_images(gz.data(), gz.size(), "gzip bytes");
  EXPECT_EQ(a.count, 3);
  EXPECT_EQ(a.pixels, b.pixels);
  expect_error([&] { parse_idx_labels(img.data(), img.size(), "raw bytes"); }, {"raw bytes", "wrong magic number"});
  expect_error([&] { parse_idx_images(gz.data(), gz.size() - 3, "gzip bytes"); }, {"gzip bytes", "gzip"});
}

TEST(Idx, OtherGzipFilesStopAtTheirLimit) {
  // Weights files have no header to bound them: read_file_bytes stops at a limit instead.
  TempDir d;
  write_raw(d.file("w.gz"), gzip_bomb({1, 2, 3}, 8));
  expect_error([&] { read_file_bytes(d.file("w.gz"), 1 << 20); },
               {"w.gz", "gzip data inflates to more than 1048576 bytes"});
  write_raw(d.file("ok.gz"), gzip_bytes({1, 2, 3}));
  EXPECT_EQ(read_file_bytes(d.file("ok.gz")), (std::vector<uint8_t>{1, 2, 3}));
}

TEST(Dataset, FolderWithRawAndGzFiles) {
  TempDir d;
  write_raw(d.file("train-images-idx3-ubyte.gz"), gzip_bytes(idx_images(6, 2, 3)));
  write_raw(d.file("train-labels-idx1-ubyte"), idx_labels(6));
  Dataset ds = load_idx_dataset(d.path(), Split::Train);
  EXPECT_EQ(ds.count, 6);
  EXPECT_EQ(ds.dim(), 6);
  EXPECT_EQ(ds.labels[5], 5);
  expect_error([&] { load_idx_dataset(d.path(), Split::Test); }, {"t10k-images-idx3-ubyte", "missing"});
  expect_error([&] { load_idx_dataset(d.path() + "/nope", Split::Train); }, {"does not exist"});
}

TEST(Dataset, ImageAndLabelCountsThatDiffer) {
  TempDir d;
  write_raw(d.file("train-images-idx3-ubyte"), idx_images(6, 2, 3));
  write_raw(d.file("train-labels-idx1-ubyte"), idx_labels(5));
  expect_error([&] { load_idx_dataset(d.path(), Split::Train); }, {"6 images", "5 labels"});
}

TEST(Dataset, LabelsOutOfRange) {
  TempDir d;
  write_raw(d.file("train-images-idx3-ubyte"), idx_images(12, 2, 3));
  write_raw(d.file("train-labels-idx1-ubyte"), idx_labels(12, 11));
  expect_error([&] { load_idx_dataset(d.path(), Split::Train); }, {"label 11"});
}

TEST(Loader, BatchesShuffleAndDropLast) {
  auto be = make_cpu_backend(1);
  Dataset ds;
  ds.count = 10;
  ds.rows = 1;
  ds.cols = 2;
  for (int i = 0; i < 10; ++i) {
    ds.images.push_back(uint8_t(i));
    ds.images.push_back(255);
    ds.labels.push_back(uint8_t(i));
  }
  Tensor x(*be, {0});
  Labels y(*be, 0);
  BatchLoader keep(*be, ds, 4, false, false, 1);
  EXPECT_EQ(keep.batches_per_epoch(), 3);
  std::vector<int64_t> sizes;
  while (keep.next(x, y)) sizes.push_back(x.dim(0));
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
  // The gather converts uint8 to [0, 1] and keeps pixel and label together.
  EXPECT_FLOAT_EQ(x.to_host()[0], 8.0f / 255.0f);
  EXPECT_FLOAT_EQ(x.to_host()[1], 1.0f);
  EXPECT_EQ(y.to_host()[0], 8);

  BatchLoader drop(*be, ds, 4, true, true, 42);
  EXPECT_EQ(drop.batches_per_epoch(), 2);
  std::vector<int32_t> seen;
  int batches = 0;
  while (drop.next(x, y)) {
    ++batches;
    auto xs = x.to_host();
    auto ys = y.to_host();
    for (int64_t i = 0; i < x.dim(0); ++i) {
      EXPECT_FLOAT_EQ(xs[size_t(i) * 2] * 255.0f, float(ys[size_t(i)]));
      seen.push_back(ys[size_t(i)]);
    }
  }
  EXPECT_EQ(batches, 2);
  EXPECT_EQ(seen.size(), 8u);
  // Same seed, same order; the next epoch reshuffles.
  BatchLoader again(*be, ds, 4, true, true, 42);
  std::vector<int32_t> seen2;
  while (again.next(x, y))
    for (int32_t v : y.to_host()) seen2.push_back(v);
  EXPECT_EQ(seen, seen2);
  again.start_epoch();
  std::vector<int32_t> seen3;
  while (again.next(x, y))
    for (int32_t v : y.to_host()) seen3.push_back(v);
  EXPECT_NE(seen, seen3);
  EXPECT_THROW(BatchLoader(*be, ds, 0, true, true, 1), Error);
}

TEST(Loader, CpuGathersFromTheDatasetItself) {
  // The CPU backend reads host memory, so the loader keeps no second copy of the images:
  // a pixel changed after the loader was made shows in the next batch.
  auto be = make_cpu_backend(1);
  ASSERT_TRUE(be->uses_host_memory());
  Dataset ds;
  ds.name = "tiny";
  ds.count = 3;
  ds.rows = 1;
  ds.cols = 2;
  ds.images = {0, 10, 20, 30, 40, 50};
  ds.labels = {0, 1, 2};
  BatchLoader loader(*be, ds, 3, false, false, 1);
  ds.images[3] = 255;
  Tensor x(*be, {0});
  Labels y(*be, 0);
  ASSERT_TRUE(loader.next(x, y));
  EXPECT_FLOAT_EQ(x.to_host()[3], 1.0f);
  EXPECT_FLOAT_EQ(x.to_host()[2], 20.0f / 255.0f);
  EXPECT_EQ(y.to_host(), (std::vector<int32_t>{0, 1, 2}));
}

TEST(Loader, DatasetThatShrankUnderTheLoaderIsAnError) {
  // Reading in place must never run past the dataset's buffers.
  auto be = make_cpu_backend(1);
  Dataset ds;
  ds.name = "tiny";
  ds.count = 4;
  ds.rows = 1;
  ds.cols = 2;
  ds.images.assign(8, 7);
  ds.labels.assign(4, 1);
  Tensor x(*be, {0});
  Labels y(*be, 0);
  {
    BatchLoader loader(*be, ds, 2, false, false, 1);
    ds.images.resize(4);
    expect_error([&] { loader.next(x, y); }, {"tiny", "needs 4 images of 2 pixels", "4 pixel bytes"});
  }
  ds.images.resize(8);
  {
    BatchLoader loader(*be, ds, 2, false, false, 1);
    ds.count = 2;
    ds.labels.resize(2);
    expect_error([&] { loader.next(x, y); }, {"tiny", "holds 2 images"});
  }
  // A dataset too small for its own count is refused at once.
  ds.count = 4;
  expect_error([&] { BatchLoader(*be, ds, 2, false, false, 1); }, {"tiny", "2 labels"});
}
