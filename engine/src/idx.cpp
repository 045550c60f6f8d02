// IDX reader (the MNIST file format), raw or gzip, with checks before any data is used.
//
// Layout: a 4-byte big-endian magic 0x0000TTDD (TT = 0x08 for uint8, DD = number of
// dimensions), DD big-endian uint32 sizes, then the data. Labels are idx1 (magic
// 0x00000801), images idx3 (0x00000803).
//
// Memory is bounded by what the header promises, never by what a stream inflates to: the
// header is read (inflated) first, checked against the file's length (a gzip stream can
// inflate at most kMaxDeflateRatio times its size), and then exactly that much is
// allocated and filled; a stream that holds more fails at the first extra byte.
#include "nnplay/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>

#include "nnplay/error.h"

namespace nnplay {

namespace {

// DEFLATE's best case codes a 258-byte match in a single bit pattern of about 2 bits,
// so no stream inflates to more than about 1032 times its size.
constexpr uint64_t kMaxDeflateRatio = 1032;
// The largest IDX data this reader accepts: EMNIST's biggest split is about 550 MB.
constexpr uint64_t kMaxIdxDataBytes = uint64_t(2) << 30;

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw Error(path + ": " + what); }

bool is_gzip(const uint8_t* p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

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

// A gzip stream inflated piece by piece into buffers the caller sized, so the caller
// decides how much memory a stream may take.
class Inflater {
 public:
  Inflater(const std::string& path, const uint8_t* data, size_t size) : path_(path), in_(data), in_left_(size) {
    std::memset(&zs_, 0, sizeof zs_);
    // 16 + MAX_WBITS: expect a gzip header and check the trailing CRC-32 and length.
    if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) fail(path, "cannot initialise zlib");
  }
  ~Inflater() { inflateEnd(&zs_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Fills out[0, n) unless the stream ends first; returns the bytes written.
  size_t read(uint8_t* out, size_t n) {
    size_t got = 0;
    while (got < n && !ended_) {
      if (zs_.avail_in == 0 && in_left_ > 0) {
        // avail_in is 32 bits: feed a file over 4 GiB in pieces.
        const size_t piece = std::min<size_t>(in_left_, size_t(1) << 30);
        zs_.next_in = const_cast<Bytef*>(in_);
        zs_.avail_in = uInt(piece);
        in_ += piece;
        in_left_ -= piece;
      }
      zs_.next_out = out + got;
      zs_.avail_out = uInt(std::min<size_t>(n - got, UINT_MAX));
      const uInt before = zs_.avail_out;
      const int ret = inflate(&zs_, Z_NO_FLUSH);
      got += before - zs_.avail_out;
      if (ret == Z_STREAM_END) {
        ended_ = true;
      } else if (ret == Z_BUF_ERROR || (ret == Z_OK && zs_.avail_in == 0 && in_left_ == 0 && before == zs_.avail_out)) {
        if (zs_.avail_in == 0 && in_left_ == 0)
          fail(path_, "gzip stream breaks off after " + std::to_string(zs_.total_out) +
                          " bytes of data (the file is truncated)");
      } else if (ret != Z_OK) {
        fail(path_, std::string("corrupt gzip data (") + (zs_.msg ? zs_.msg : "error " + std::to_string(ret)) + ")");
      }
    }
    return got;
  }

  // Whether the stream holds more than has been read: inflates on into a scratch buffer
  // until either a byte comes out or the stream ends (which also checks its CRC).
  bool has_more() {
    uint8_t scratch[64];
    while (!ended_)
      if (read(scratch, sizeof scratch) > 0) return true;
    return false;
  }

  bool ended() const { return ended_; }

 private:
  std::string path_;
  z_stream zs_;
  const uint8_t* in_;
  size_t in_left_;
  bool ended_ = false;
};

std::vector<uint8_t> gunzip(const std::string& path, const uint8_t* gz, size_t size, uint64_t max_bytes) {
  Inflater z(path, gz, size);
  std::vector<uint8_t> out;
  size_t got = 0;
  while (!z.ended()) {
    if (got == out.size()) {
      if (got > max_bytes) {
        fail(path, "gzip data inflates to more than " + std::to_string(max_bytes) +
                       " bytes; this is not a file nnplay reads");
      }
      // Grow geometrically but never past the limit (plus the one byte that proves it
      // was passed).
      out.resize(size_t(std::min<uint64_t>(std::max<uint64_t>(uint64_t(got) * 2, 64 * 1024), max_bytes + 1)));
    }
    got += z.read(out.data() + got, out.size() - got);
  }
  out.resize(got);
  return out;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

struct IdxHeader {
  std::vector<int64_t> dims;
  size_t header_bytes = 0;
  uint64_t data_bytes = 0;
};

// Checks the magic number in the first `have` bytes of a file; returns the header's length.
size_t check_magic(const std::string& path, const uint8_t* p, size_t have, uint32_t magic, const char* kind) {
  if (have < 4) fail(path, "file is too short for an IDX header (" + std::to_string(have) + " bytes)");
  const uint32_t got = be32(p);
  if (got != magic) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "wrong magic number 0x%08X, expected 0x%08X for IDX %s", got, magic, kind);
    std::string hint;
    if (got == 0x00000801 || got == 0x00000803)
      hint = got == 0x00000801 ? " (this is a label file)" : " (this is an image file)";
    fail(path, buf + hint);
  }
  return 4 + 4 * size_t(magic & 0xFF);
}

// Checks the magic and the sizes in the first `have` bytes of a file (all of its header
// when it is long enough); the data's length is checked by the caller.
IdxHeader parse_header(const std::string& path, const uint8_t* p, size_t have, uint32_t magic, const char* kind) {
  IdxHeader h;
  h.header_bytes = check_magic(path, p, have, magic, kind);
  if (have < h.header_bytes) fail(path, "file is too short for its IDX header (truncated)");
  int64_t total = 1;
  for (size_t i = 0; i + 1 < h.header_bytes / 4; ++i) {
    const int64_t d = be32(p + 4 + 4 * i);
    if (d != 0 && total > std::numeric_limits<int64_t>::max() / d)
      fail(path, "dimensions overflow: their product does not fit in 64 bits");
    total *= d;
    h.dims.push_back(d);
  }
  h.data_bytes = uint64_t(total);
  return h;
}

std::string truncated(uint64_t promised, uint64_t holds) {
  return "truncated: header promises " + std::to_string(promised) + " bytes of data, file holds " +
         std::to_string(holds);
}

void check_limit(const std::string& path, const IdxHeader& h) {
  if (h.data_bytes > kMaxIdxDataBytes)
    fail(path, "header promises " + std::to_string(h.data_bytes) + " bytes of data, more than the " +
                   std::to_string(kMaxIdxDataBytes >> 30) + " GiB this reader accepts");
}

// A raw IDX file's bytes: header and data, exactly as long as the header says.
std::vector<uint8_t> raw_idx(const std::string& path, const uint8_t* data, size_t size, uint32_t magic,
                             const char* kind, IdxHeader& h) {
  h = parse_header(path, data, size, magic, kind);
  const uint64_t holds = size - h.header_bytes;
  if (holds < h.data_bytes) fail(path, truncated(h.data_bytes, holds));
  if (holds > h.data_bytes) fail(path, "has " + std::to_string(holds - h.data_bytes) + " unexpected bytes after the data");
  return std::vector<uint8_t>(data + h.header_bytes, data + size);
}

// A gzipped IDX file's data, inflated into a buffer the size its header promises.
std::vector<uint8_t> gzip_idx(const std::string& path, const uint8_t* data, size_t size, uint32_t magic,
                              const char* kind, IdxHeader& h) {
  Inflater z(path, data, size);
  uint8_t head[4 + 4 * 255];
  size_t have = z.read(head, 4);
  const size_t header_bytes = check_magic(path, head, have, magic, kind);
  have += z.read(head + have, header_bytes - have);
  h = parse_header(path, head, have, magic, kind);
  check_limit(path, h);
  // Checked before allocating: a small file whose header promises gigabytes cannot hold them.
  const uint64_t most = uint64_t(size) * kMaxDeflateRatio;
  if (h.data_bytes + h.header_bytes > most)
    fail(path, "truncated: header promises " + std::to_string(h.data_bytes) + " bytes of data, but " +
                   std::to_string(size) + " bytes of gzip cannot inflate to more than " + std::to_string(most));
  std::vector<uint8_t> out(size_t(h.data_bytes));
  const size_t got = z.read(out.data(), out.size());
  if (got < out.size()) fail(path, truncated(h.data_bytes, got));
  if (z.has_more()) fail(path, "inflates to more than the " + std::to_string(h.data_bytes) +
                                   " bytes of data its header promises (unexpected bytes after the data)");
  return out;
}

std::vector<uint8_t> idx_data(const std::string& path, const uint8_t* data, size_t size, uint32_t magic,
                              const char* kind, IdxHeader& h) {
  if (is_gzip(data, size)) return gzip_idx(path, data, size, magic, kind, h);
  return raw_idx(path, data, size, magic, kind, h);
}

IdxImages images_from(const std::string& path, const uint8_t* data, size_t size) {
  IdxHeader h;
  std::vector<uint8_t> pixels = idx_data(path, data, size, 0x00000803, "images (idx3)", h);
  if (h.dims[1] == 0 || h.dims[2] == 0) fail(path, "image size is zero");
  IdxImages img;
  img.count = h.dims[0];
  img.rows = h.dims[1];
  img.cols = h.dims[2];
  img.pixels = std::move(pixels);
  return img;
}

IdxLabels labels_from(const std::string& path, const uint8_t* data, size_t size) {
  IdxHeader h;
  std::vector<uint8_t> labels = idx_data(path, data, size, 0x00000801, "labels (idx1)", h);
  IdxLabels lab;
  lab.count = h.dims[0];
  lab.labels = std::move(labels);
  return lab;
}

// A raw file whose header promises more (or less) than the file's length is refused
// before its data is read; anything else is read whole.
std::vector<uint8_t> read_idx_file(const std::string& path, uint32_t magic, const char* kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
  uint8_t head[16] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const size_t have = size_t(in.gcount());
  in.clear();
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) fail(path, "cannot determine the file size");
  if (!is_gzip(head, have)) {
    const IdxHeader h = parse_header(path, head, have, magic, kind);
    const uint64_t holds = uint64_t(size) - h.header_bytes;
    if (holds < h.data_bytes) fail(path, truncated(h.data_bytes, holds));
    check_limit(path, h);
  }
  in.close();
  return read_raw(path);
}

}  // namespace

std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_inflated) {
  std::vector<uint8_t> bytes = read_raw(path);
  if (is_gzip(bytes.data(), bytes.size())) return gunzip(path, bytes.data(), bytes.size(), max_inflated);
  return bytes;
}

IdxImages parse_idx_images(const uint8_t* data, size_t size, const std::string& name) {
  return images_from(name, data, size);
}

IdxLabels parse_idx_labels(const uint8_t* data, size_t size, const std::string& name) {
  return labels_from(name, data, size);
}

IdxImages read_idx_images(const std::string& path) {
  const std::vector<uint8_t> bytes = read_idx_file(path, 0x00000803, "images (idx3)");
  return images_from(path, bytes.data(), bytes.size());
}

IdxLabels read_idx_labels(const std::string& path) {
  const std::vector<uint8_t> bytes = read_idx_file(path, 0x00000801, "labels (idx1)");
  return labels_from(path, bytes.data(), bytes.size());
}

}  // namespace nnplay
