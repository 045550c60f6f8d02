// The safetensors reader and writer: round trips, F16/BF16 widening, the exact byte
// layout of what is written, and one clear Error (naming the file) for every kind of
// malformed file, including every truncation of a valid one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "nnplay/safetensors.h"
#include "test_util.h"

using namespace nnplay;
namespace fs = std::filesystem;

namespace {

// A file image from a header text and raw data bytes (header length written as given).
std::vector<uint8_t> make_file(const std::string& header, const std::vector<uint8_t>& data = {}) {
  std::vector<uint8_t> out(8 + header.size() + data.size());
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[size_t(i)] = uint8_t(n >> (8 * i));
  std::memcpy(out.data() + 8, header.data(), header.size());
  if (!data.empty()) std::memcpy(out.data() + 8 + header.size(), data.data(), data.size());
  return out;
}

std::vector<uint8_t> f32_bytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<uint8_t> u16_bytes(const std::vector<uint16_t>& v) {
  std::vector<uint8_t> b;
  for (uint16_t x : v) {
    b.push_back(uint8_t(x & 0xff));
    b.push_back(uint8_t(x >> 8));
  }
  return b;
}

// Expects parse to throw nnplay::Error whose message names the source and contains `part`.
void expect_error(const std::vector<uint8_t>& bytes, const std::string& part) {
  try {
    parse_safetensors(bytes.data(), bytes.size(), "bad.safetensors");
    ADD_FAILURE() << "expected an error containing '" << part << "'";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("bad.safetensors: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(part), std::string::npos) << "message: " << msg << "\nexpected to contain: " << part;
  }
}

const std::string kOneTensor = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";

}  // namespace

TEST(Safetensors, RoundTripKeepsNamesShapesValuesMetadataAndOrder) {
  std::vector<float> w = {1.5f, -2.25f, 3.0f, 0.0f, -0.0f, 1e-30f};
  std::vector<float> b = {7.0f, 8.0f};
  float scalar = 42.0f;
  Metadata meta = {{"sizes", "3-2"}, {"note", "ünïcode ok"}};
  auto bytes = serialize_safetensors({{"0.weight", {2, 3}, w.data()}, {"0.bias", {2}, b.data()}, {"s", {}, &scalar}},
                                     meta);
  StFile f = parse_safetensors(bytes.data(), bytes.size(), "mem");
  ASSERT_EQ(f.tensors.size(), 3u);
  EXPECT_EQ(f.tensors[0].name, "0.weight");  // data-section order = write order
  EXPECT_EQ(f.tensors[1].name, "0.bias");
  EXPECT_EQ(f.tensors[0].shape, (Shape{2, 3}));
  EXPECT_EQ(f.tensors[2].shape, Shape{});
  EXPECT_EQ(std::memcmp(f.find("0.weight")->values.data(), w.data(), w.size() * 4), 0);  // bit for bit (-0.0 too)
  EXPECT_EQ(f.find("0.bias")->values, b);
  EXPECT_EQ(f.find("s")->values, std::vector<float>{42.0f});
  EXPECT_EQ(f.find("0.weight")->dtype, "F32");
  EXPECT_TRUE(f.has_metadata);
  EXPECT_EQ(f.metadata, meta);
  EXPECT_EQ(f.find("missing"), nullptr);
}

TEST(Safetensors, WrittenLayoutFollowsTheFormat) {
  std::vector<float> w = {1, 2, 3};
  auto bytes = serialize_safetensors({{"weight", {3}, w.data()}}, {{"k", "v"}});
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[size_t(i)];
  EXPECT_EQ(n % 8, 0u) << "header padded to a multiple of 8";
  ASSERT_EQ(bytes.size(), 8 + n + 12);
  std::string header(bytes.begin() + 8, bytes.begin() + 8 + long(n));
  EXPECT_EQ(header.rfind(R"({"__metadata__":{"k":"v"},"weight":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}})", 0), 0u)
      << header;
  EXPECT_EQ(header.find_first_not_of(' ', header.find_last_of('}') + 1), std::string::npos) << "padding is spaces";
  EXPECT_EQ(std::memcmp(bytes.data() + 8 + n, w.data(), 12), 0) << "raw little-endian float32 data";
}

TEST(Safetensors, NoMetadataMeansNoMetadataKey) {
  float v = 1;
  auto bytes = serialize_safetensors({{"x", {1}, &v}}, {});
  std::string all(bytes.begin(), bytes.end());
  EXPECT_EQ(all.find("__metadata__"), std::string::npos);
  StFile f = parse_safetensors(bytes.data(), bytes.size(), "mem");
  EXPECT_FALSE(f.has_metadata);
}

TEST(Safetensors, ReadsF16AndBF16AsFloat32) {
  // F16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 0x3555 = 0.333251953125, -0.
  std::vector<uint16_t> h = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x8000};
  // BF16: 1, -3, 2^-133 (subnormal float), 0x4049 = 3.140625
  std::vector<uint16_t> bf = {0x3f80, 0xc040, 0x0001, 0x4049};
  auto data = u16_bytes(h);
  auto more = u16_bytes(bf);
  data.insert(data.end(), more.begin(), more.end());
  auto bytes = make_file(R"({"h":{"dtype":"F16","shape":[2,3],"data_offsets":[0,12]},)"
                         R"("b":{"dtype":"BF16","shape":[4],"data_offsets":[12,20]}})",
                         data);
  StFile f = parse_safetensors(bytes.data(), bytes.size(), "mem");
  const std::vector<float>& hv = f.find("h")->values;
  EXPECT_EQ(f.find("h")->dtype, "F16");
  EXPECT_EQ(hv[0], 1.0f);
  EXPECT_EQ(hv[1], -2.0f);
  EXPECT_EQ(hv[2], 65504.0f);
  EXPECT_EQ(hv[3], std::ldexp(1.0f, -24));
  EXPECT_EQ(hv[4], 0.333251953125f);
  EXPECT_TRUE(hv[5] == 0.0f && std::signbit(hv[5]));
  const std::vector<float>& bv = f.find("b")->values;
  EXPECT_EQ(bv[0], 1.0f);
  EXPECT_EQ(bv[1], -3.0f);
  EXPECT_EQ(bv[2], std::ldexp(1.0f, -133));
  EXPECT_EQ(bv[3], 3.140625f);
}

TEST(Safetensors, AllF16SubnormalsAndNormalsMatchAReferenceConversion) {
  // Every finite half: value = (-1)^s * 2^(e-15) * (1 + m/1024), or 2^-14 * m/1024 when e = 0.
  std::vector<uint16_t> all;
  for (uint32_t x = 0; x < 0x10000; ++x)
    if (((x >> 10) & 0x1f) != 0x1f) all.push_back(uint16_t(x));
  auto bytes = make_file(R"({"h":{"dtype":"F16","shape":[)" + std::to_string(all.size()) +
                             R"(],"data_offsets":[0,)" + std::to_string(all.size() * 2) + "]}}",
                         u16_bytes(all));
  StFile f = parse_safetensors(bytes.data(), bytes.size(), "mem");
  for (size_t i = 0; i < all.size(); ++i) {
    uint32_t x = all[i], e = (x >> 10) & 0x1f, m = x & 0x3ff;
    double v = e ? std::ldexp(1.0 + m / 1024.0, int(e) - 15) : std::ldexp(m / 1024.0, -14);
    if (x & 0x8000) v = -v;
    ASSERT_EQ(double(f.tensors[0].values[i]), v) << "half 0x" << std::hex << x;
  }
}

TEST(Safetensors, EmptyTensorsAndEmptyFilesAreValid) {
  auto bytes = make_file(R"({"e":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]}})");
  StFile f = parse_safetensors(bytes.data(), bytes.size(), "mem");
  ASSERT_EQ(f.tensors.size(), 1u);
  EXPECT_TRUE(f.tensors[0].values.empty());
  auto none = make_file("{}");
  EXPECT_TRUE(parse_safetensors(none.data(), none.size(), "mem").tensors.empty());
}

TEST(Safetensors, HeaderLengthIsChecked) {
  expect_error({1, 2, 3}, "too short");
  std::vector<uint8_t> tiny = make_file("{");
  expect_error(tiny, "too small");
  std::vector<uint8_t> huge(16, 0);
  uint64_t n = kStMaxHeaderBytes + 1;
  for (int i = 0; i < 8; ++i) huge[size_t(i)] = uint8_t(n >> (8 * i));
  expect_error(huge, "exceeds");
  std::vector<uint8_t> max_len(16, 0xff);
  expect_error(max_len, "exceeds");
  auto past = make_file(kOneTensor, f32_bytes({1, 2}));
  past[0] = uint8_t(past[0] + 100);  // claims 100 more header bytes than the file has
  expect_error(past, "runs past the end");
}

TEST(Safetensors, HeaderMustBeAJsonObjectOfEntries) {
  expect_error(make_file("[1,2,3]"), "does not start with '{'");
  expect_error(make_file(" {}"), "does not start with '{'");
  expect_error(make_file("{\"a\":"), "not valid JSON");
  expect_error(make_file("{\"a\":1} trailing"), "not valid JSON");
  expect_error(make_file("{\"a\":\"\xff\"}"), "not valid JSON");  // invalid UTF-8
  expect_error(make_file(R"({"a":1})"), "tensor 'a': expected an object");
  expect_error(make_file(R"({"":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})"), "empty name");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":{"y":{"z":[[1]]}}}})"),
               "nested deeper");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                         R"("a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})"),
               "names 'a' twice");
  expect_error(make_file(R"({"a":{"dtype":"F32","dtype":"F32","shape":[0],"data_offsets":[0,0]}})"),
               "names 'dtype' twice");
}

TEST(Safetensors, MetadataMustMapStringsToStrings) {
  expect_error(make_file(R"({"__metadata__":[1]})"), "__metadata__ must be an object");
  expect_error(make_file(R"({"__metadata__":{"epochs":15}})"), "value of 'epochs' is not a string");
  auto ok = make_file(R"({"__metadata__":{"a":"b"}})");
  EXPECT_EQ(parse_safetensors(ok.data(), ok.size(), "m").metadata.at("a"), "b");
}

TEST(Safetensors, EntriesNeedExactlyTheThreeFields) {
  expect_error(make_file(R"({"a":{"shape":[2],"data_offsets":[0,8]}})"), "missing field 'dtype'");
  expect_error(make_file(R"({"a":{"dtype":"F32","data_offsets":[0,8]}})"), "missing field 'shape'");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2]}})"), "missing field 'data_offsets'");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}})"),
               "unexpected field 'extra'");
}

TEST(Safetensors, OnlyF32F16AndBF16AreAccepted) {
  for (const char* dt : {"F64", "I32", "I64", "U8", "BOOL", "F8_E4M3", "f32"}) {
    std::string h = std::string(R"({"a":{"dtype":")") + dt + R"(","shape":[2],"data_offsets":[0,8]}})";
    expect_error(make_file(h, std::vector<uint8_t>(8)), std::string("unsupported dtype '") + dt + "'");
  }
  expect_error(make_file(R"({"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}})", std::vector<uint8_t>(8)),
               "dtype must be a string");
}

TEST(Safetensors, ShapesMustBeNonNegativeIntegers) {
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})"), "non-negative integer");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}})"), "non-negative integer");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})"), "shape must be an array");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}})"),
               "9 dimensions");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,8]}})"),
               "dimension too large");
  // Dimensions whose product overflows 64 bits cannot match any offsets.
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                         std::vector<uint8_t>(8)),
               "more than 2^64");
}

TEST(Safetensors, OffsetsMustCoverTheDataSectionExactly) {
  auto two = f32_bytes({1, 2});
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", two), "must be [begin, end]");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", two), "end before they begin");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}})", two), "non-negative");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", two), "run past");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", two),
               "hold 8 bytes but shape [3] of F32 needs 12");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", two), "leave a gap");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                         R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                         two),
               "overlap");
  expect_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", two), "extra bytes");
  expect_error(make_file("{}", two), "extra bytes");
}

TEST(Safetensors, NonFiniteValuesAreRejected) {
  float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  expect_error(make_file(kOneTensor, f32_bytes({1, nan})), "tensor 'a' holds a non-finite value (nan) at element 1");
  expect_error(make_file(kOneTensor, f32_bytes({-inf, 1})), "non-finite value (inf) at element 0");
  expect_error(make_file(R"({"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}})", u16_bytes({0x7c00})),
               "non-finite");
  expect_error(make_file(R"({"h":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})", u16_bytes({0x7fc0})),
               "non-finite");
}

TEST(Safetensors, EveryTruncationOfAValidFileIsAnError) {
  std::vector<float> w(20, 0.5f);
  auto bytes = serialize_safetensors({{"0.weight", {4, 5}, w.data()}, {"0.bias", {4}, w.data()}}, {{"a", "b"}});
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(parse_safetensors(bytes.data(), n, "cut"), Error) << "prefix of " << n << " bytes";
  }
  EXPECT_NO_THROW(parse_safetensors(bytes.data(), bytes.size(), "whole"));
}

TEST(Safetensors, EverySingleByteCorruptionOfTheHeaderIsCaughtOrHarmless) {
  // Whatever one byte becomes, the reader either accepts a still-valid file or throws
  // nnplay::Error; it never crashes or throws anything else.
  std::vector<float> w = {1, 2, 3, 4, 5, 6};
  auto good = serialize_safetensors({{"weight", {2, 3}, w.data()}}, {{"k", "v"}});
  size_t header_end = 8 + size_t(good[0]);
  int errors = 0, accepted = 0;
  for (size_t i = 0; i < header_end; ++i) {
    for (uint8_t v : {uint8_t(0), uint8_t('"'), uint8_t('9'), uint8_t('}'), uint8_t(0xff)}) {
      auto bad = good;
      bad[i] = v;
      try {
        parse_safetensors(bad.data(), bad.size(), "x");
        ++accepted;
      } catch (const Error&) {
        ++errors;
      }
    }
  }
  EXPECT_GT(errors, 100);
  EXPECT_GT(accepted, 0);  // e.g. changing a metadata letter is still a valid file
}

TEST(Safetensors, WriterRefusesWhatTheReaderWouldReject) {
  float nan = std::numeric_limits<float>::quiet_NaN(), one = 1;
  EXPECT_THROW(serialize_safetensors({{"a", {1}, &nan}}, {}), Error);
  EXPECT_THROW(serialize_safetensors({{"a", {1}, &one}, {"a", {1}, &one}}, {}), Error);
  EXPECT_THROW(serialize_safetensors({{"", {1}, &one}}, {}), Error);
  EXPECT_THROW(serialize_safetensors({{"__metadata__", {1}, &one}}, {}), Error);
  EXPECT_THROW(serialize_safetensors({{"a", {-1}, &one}}, {}), Error);
  EXPECT_THROW(serialize_safetensors({{"a", {1}, &one}}, {{"bad", "\xff"}}), Error);
}

TEST(Safetensors, FilesOnDisk) {
  fs::path dir = fs::temp_directory_path() / ("nnplay_st_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string path = (dir / "w.safetensors").string();
  std::vector<float> w = {1, 2, 3};
  write_safetensors(path, {{"w", {3}, w.data()}}, {{"k", "v"}});
  StFile f = read_safetensors(path);
  EXPECT_EQ(f.source, path);
  EXPECT_EQ(f.find("w")->values, w);
  // No temporary file is left behind by a successful write.
  int files = 0;
  for (auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);

  try {
    read_safetensors((dir / "missing.safetensors").string());
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.safetensors: cannot open"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_safetensors(dir.string()), Error);  // a folder
  EXPECT_THROW(write_safetensors(dir.string(), {{"w", {3}, w.data()}}, {}), Error);
  EXPECT_THROW(write_safetensors((dir / "no/such/folder/x").string(), {{"w", {3}, w.data()}}, {}), Error);

  {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << "not a safetensors file at all";
  }
  try {
    read_safetensors(path);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
  }
  fs::remove_all(dir);
}
