// IDX reader (the MNIST file format), raw or gzip, with checks before any data is used.
//
// Layout: a 4-byte big-endian magic 0x0000TTDD (TT = 0x08 for uint8, DD = number of
// dimensions), DD big-endian uint32 sizes, then the data. Labels are idx1 (magic
// 0x00000801), images idx3 (0x00000803).
#include "nnplay/idx.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>

#include "nnplay/error.h"

namespace nnplay {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw Error(path + ": " + what); }

std::vector<uint8_t> read_raw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) fail(path, "cannot determine the file size");
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) fail(path, "read error");
  return bytes;
}

std::vector<uint8_t> gunzip(const std::string& path, const std::vector<uint8_t>& gz) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  // 16 + MAX_WBITS: expect a gzip header and check the trailing CRC-32 and length.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(path, "cannot initialise zlib");
  std::vector<uint8_t> out;
  out.resize(gz.size() * 4 + 1024);
  zs.next_in = const_cast<Bytef*>(gz.data());
  zs.avail_in = static_cast<uInt>(gz.size());
  int ret = Z_OK;
  while (true) {
    if (zs.total_out == out.size()) {
      if (uint64_t(out.size()) > (uint64_t(1) << 32)) {
        inflateEnd(&zs);
        fail(path, "gzip data inflates to more than 4 GiB; not an IDX file");
      }
      out.resize(out.size() * 2);
    }
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    ret = inflate(&zs, Z_NO_FLUSH);
    if (ret == Z_STREAM_END) break;
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR && zs.avail_in == 0) {
      inflateEnd(&zs);
      fail(path, "gzip stream breaks off after " + std::to_string(zs.total_out) +
                     " bytes of data (the file is truncated)");
    }
    if (ret != Z_BUF_ERROR) {
      std::string msg = zs.msg ? zs.msg : "error " + std::to_string(ret);
      inflateEnd(&zs);
      fail(path, "corrupt gzip data (" + msg + ")");
    }
  }
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Checks the magic and the sizes against the file length; returns the dimensions.
std::vector<int64_t> parse_header(const std::string& path, const std::vector<uint8_t>& bytes, uint32_t magic,
                                  const char* kind) {
  if (bytes.size() < 4) fail(path, "file is too short for an IDX header (" + std::to_string(bytes.size()) + " bytes)");
  uint32_t got = be32(bytes.data());
  if (got != magic) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "wrong magic number 0x%08X, expected 0x%08X for IDX %s", got, magic, kind);
    std::string hint;
    if (got == 0x00000801 || got == 0x00000803)
      hint = got == 0x00000801 ? " (this is a label file)" : " (this is an image file)";
    fail(path, buf + hint);
  }
  size_t ndim = magic & 0xFF;
  size_t header = 4 + 4 * ndim;
  if (bytes.size() < header) fail(path, "file is too short for its IDX header (truncated)");
  std::vector<int64_t> dims;
  int64_t total = 1;
  for (size_t i = 0; i < ndim; ++i) {
    int64_t d = be32(bytes.data() + 4 + 4 * i);
    if (d != 0 && total > std::numeric_limits<int64_t>::max() / d)
      fail(path, "dimensions overflow: their product does not fit in 64 bits");
    total *= d;
    dims.push_back(d);
  }
  uint64_t expected = uint64_t(header) + uint64_t(total);
  if (total > int64_t(1) << 40 || bytes.size() < expected)
    fail(path, "truncated: header promises " + std::to_string(total) + " bytes of data, file holds " +
                   std::to_string(bytes.size() - header));
  if (bytes.size() > expected)
    fail(path, "has " + std::to_string(bytes.size() - expected) + " unexpected bytes after the data");
  return dims;
}

}  // namespace

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::vector<uint8_t> bytes = read_raw(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(path, bytes);
  return bytes;
}

IdxImages read_idx_images(const std::string& path) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  std::vector<int64_t> d = parse_header(path, bytes, 0x00000803, "images (idx3)");
  if (d[1] == 0 || d[2] == 0) fail(path, "image size is zero");
  IdxImages img;
  img.count = d[0];
  img.rows = d[1];
  img.cols = d[2];
  img.pixels.assign(bytes.begin() + 16, bytes.end());
  return img;
}

IdxLabels read_idx_labels(const std::string& path) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  std::vector<int64_t> d = parse_header(path, bytes, 0x00000801, "labels (idx1)");
  IdxLabels lab;
  lab.count = d[0];
  lab.labels.assign(bytes.begin() + 8, bytes.end());
  return lab;
}

}  // namespace nnplay
