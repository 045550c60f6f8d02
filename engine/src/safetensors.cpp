// safetensors reader and writer. The header is parsed by nlohmann::json; every field the
// file declares is checked against the bytes actually present before anything is read.
#include "nnplay/safetensors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "nnplay/atomic_file.h"
#include "nnplay/error.h"

namespace nnplay {

// Tensor bytes are copied to and from float memory directly.
static_assert(std::endian::native == std::endian::little, "nnplay's safetensors code assumes a little-endian host");

const StTensor* StFile::find(const std::string& name) const {
  for (const StTensor& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

namespace {

using json = nlohmann::json;
constexpr const char* kMetadataKey = "__metadata__";

[[noreturn]] void fail(const std::string& source, const std::string& what) { throw Error(source + ": " + what); }

uint64_t read_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

size_t dtype_size(const std::string& dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "F16" || dtype == "BF16") return 2;
  return 0;
}

// IEEE half to float, subnormals, infinities and NaN included.
float half_to_float(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    // Subnormal half: shift the mantissa up until its leading one is the implicit bit.
    uint32_t e = 113;
    while (!(mant & 0x400u)) {
      mant <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mant & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

// Parses the header JSON, refusing duplicate keys (nlohmann would keep the last one
// silently, hiding a second copy of a tensor) and nesting deeper than the format has.
json parse_header_json(const std::string& source, const char* begin, const char* end) {
  std::vector<std::set<std::string>> keys;  // one set per open object
  json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > 3) fail(source, "header is nested deeper than a safetensors header can be");
    switch (event) {
      case json::parse_event_t::object_start: keys.emplace_back(); break;
      case json::parse_event_t::object_end: keys.pop_back(); break;
      case json::parse_event_t::key: {
        const std::string& k = parsed.get_ref<const std::string&>();
        if (!keys.back().insert(k).second) fail(source, "header names '" + k + "' twice");
        break;
      }
      default: break;
    }
    return true;
  };
  try {
    return json::parse(begin, end, cb);
  } catch (const json::exception& e) {
    fail(source, std::string("header is not valid JSON: ") + e.what());
  }
}

uint64_t as_u64(const std::string& source, const std::string& what, const json& v) {
  if (!v.is_number_unsigned()) fail(source, what + " must be a non-negative integer, got " + v.dump());
  return v.get<uint64_t>();
}

struct Entry {
  std::string name, dtype;
  Shape shape;
  uint64_t begin = 0, end = 0;
};

Entry parse_entry(const std::string& source, const std::string& name, const json& v) {
  const std::string where = "tensor '" + name + "'";
  if (!v.is_object()) fail(source, where + ": expected an object with dtype, shape and data_offsets");
  for (auto it = v.begin(); it != v.end(); ++it)
    if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets")
      fail(source, where + ": unexpected field '" + it.key() + "'");
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!v.contains(field)) fail(source, where + ": missing field '" + field + "'");

  Entry e;
  e.name = name;
  if (!v["dtype"].is_string()) fail(source, where + ": dtype must be a string");
  e.dtype = v["dtype"].get<std::string>();
  if (dtype_size(e.dtype) == 0)
    fail(source, where + ": unsupported dtype '" + e.dtype + "' (nnplay reads F32, F16 and BF16)");

  const json& shape = v["shape"];
  if (!shape.is_array()) fail(source, where + ": shape must be an array of integers");
  if (shape.size() > kStMaxRank)
    fail(source, where + ": shape has " + std::to_string(shape.size()) + " dimensions (at most " +
                     std::to_string(kStMaxRank) + ")");
  for (const json& d : shape) {
    uint64_t dim = as_u64(source, where + ": every dimension", d);
    if (dim > uint64_t(std::numeric_limits<int64_t>::max())) fail(source, where + ": dimension too large");
    e.shape.push_back(int64_t(dim));
  }

  const json& off = v["data_offsets"];
  if (!off.is_array() || off.size() != 2) fail(source, where + ": data_offsets must be [begin, end]");
  e.begin = as_u64(source, where + ": data_offsets", off[0]);
  e.end = as_u64(source, where + ": data_offsets", off[1]);
  if (e.end < e.begin)
    fail(source, where + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                     "] end before they begin");
  return e;
}

// numel * element size, or UINT64_MAX if it overflows (then it cannot match any offsets).
uint64_t byte_count(const Shape& shape, size_t elem) {
  uint64_t n = elem;
  for (int64_t d : shape) {
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / uint64_t(d)) return std::numeric_limits<uint64_t>::max();
    n *= uint64_t(d);
  }
  return n;
}

void decode(const std::string& source, const Entry& e, const uint8_t* src, StTensor& t) {
  const size_t n = size_t(byte_count(e.shape, 1));
  t.values.resize(n);
  float* out = t.values.data();
  if (n == 0) return;  // an empty tensor: no bytes, and memcpy must not see its null pointer
  if (e.dtype == "F32") {
    std::memcpy(out, src, n * 4);
  } else if (e.dtype == "F16") {
    for (size_t i = 0; i < n; ++i) out[i] = half_to_float(uint16_t(src[2 * i] | (src[2 * i + 1] << 8)));
  } else {  // BF16: the top half of a float32
    for (size_t i = 0; i < n; ++i)
      out[i] = std::bit_cast<float>(uint32_t(src[2 * i] | (src[2 * i + 1] << 8)) << 16);
  }
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(out[i]))
      fail(source, "tensor '" + e.name + "' holds a non-finite value (" + (std::isnan(out[i]) ? "nan" : "inf") +
                       ") at element " + std::to_string(i));
}

}  // namespace

StFile parse_safetensors(const uint8_t* bytes, size_t size, const std::string& source) {
  if (size < 8)
    fail(source, "file is " + std::to_string(size) + " bytes, too short for a safetensors header (truncated?)");
  const uint64_t n = read_u64_le(bytes);
  if (n < 2) fail(source, "header length " + std::to_string(n) + " is too small (a header is at least '{}')");
  if (n > kStMaxHeaderBytes)
    fail(source, "header length " + std::to_string(n) + " exceeds the " + std::to_string(kStMaxHeaderBytes) +
                     "-byte limit (not a safetensors file?)");
  if (n > size - 8)
    fail(source, "header length " + std::to_string(n) + " runs past the end of the " + std::to_string(size) +
                     "-byte file (truncated, or not a safetensors file)");
  const char* hdr = reinterpret_cast<const char*>(bytes + 8);
  if (hdr[0] != '{') fail(source, "header does not start with '{' (not a safetensors file?)");
  json header = parse_header_json(source, hdr, hdr + n);
  if (!header.is_object()) fail(source, "header must be a JSON object");

  StFile f;
  f.source = source;
  std::vector<Entry> entries;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == kMetadataKey) {
      if (!it.value().is_object()) fail(source, "__metadata__ must be an object of strings");
      for (auto m = it.value().begin(); m != it.value().end(); ++m) {
        if (!m.value().is_string()) fail(source, "__metadata__ value of '" + m.key() + "' is not a string");
        f.metadata[m.key()] = m.value().get<std::string>();
      }
      f.has_metadata = true;
      continue;
    }
    if (it.key().empty()) fail(source, "a tensor has an empty name");
    entries.push_back(parse_entry(source, it.key(), it.value()));
  }

  // The data section must be covered exactly: tensors back to back from offset 0, each
  // exactly as long as its shape and dtype say, nothing left over.
  const uint64_t data_size = uint64_t(size) - 8 - n;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t expected = 0;
  for (const Entry& e : entries) {
    std::string range = "[";
    range += std::to_string(e.begin) + ", " + std::to_string(e.end) + "]";
    if (e.end > data_size)
      fail(source, "tensor '" + e.name + "': data_offsets " + range + " run past the " + std::to_string(data_size) +
                       "-byte data section (truncated file?)");
    if (e.begin < expected)
      fail(source, "tensor '" + e.name + "': data_offsets " + range + " overlap the previous tensor");
    if (e.begin > expected)
      fail(source, "tensor '" + e.name + "': data_offsets " + range + " leave a gap after byte " +
                       std::to_string(expected) + " (offsets must be contiguous)");
    const uint64_t need = byte_count(e.shape, dtype_size(e.dtype));
    if (e.end - e.begin != need)
      fail(source, "tensor '" + e.name + "': data_offsets " + range + " hold " + std::to_string(e.end - e.begin) +
                       " bytes but shape " + shape_str(e.shape) + " of " + e.dtype + " needs " +
                       (need == std::numeric_limits<uint64_t>::max() ? std::string("more than 2^64")
                                                                     : std::to_string(need)));
    expected = e.end;
  }
  if (expected != data_size)
    fail(source, "data section is " + std::to_string(data_size) + " bytes but the tensors cover " +
                     std::to_string(expected) + " (extra bytes at the end)");

  const uint8_t* data = bytes + 8 + n;
  f.tensors.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    StTensor& t = f.tensors[i];
    t.name = entries[i].name;
    t.dtype = entries[i].dtype;
    t.shape = entries[i].shape;
    decode(source, entries[i], data + entries[i].begin, t);
  }
  return f;
}

StFile read_safetensors(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) throw Error(path + ": cannot stat (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode)) throw Error(path + ": not a regular file");
  std::vector<uint8_t> bytes(size_t(st.st_size));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t r = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw Error(path + ": read failed (" + std::strerror(errno) + ")");
    if (r == 0) break;  // the file shrank while being read: parse what is there
    done += size_t(r);
  }
  bytes.resize(done);
  return parse_safetensors(bytes.data(), bytes.size(), path);
}

std::vector<uint8_t> serialize_safetensors(const std::vector<StTensorRef>& tensors, const Metadata& metadata) {
  // The header keeps this order (nlohmann::ordered_json): metadata first, then the
  // tensors in the order their bytes follow, as the reference writer lays them out.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) {
    nlohmann::ordered_json m = nlohmann::ordered_json::object();
    for (const auto& [k, v] : metadata) m[k] = v;
    header[kMetadataKey] = m;
  }
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const StTensorRef& t : tensors) {
    if (t.name.empty()) throw Error("safetensors: a tensor needs a name");
    if (t.name == kMetadataKey) throw Error("safetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!names.insert(t.name).second) throw Error("safetensors: duplicate tensor name '" + t.name + "'");
    const int64_t numel = shape_numel(t.shape);
    for (int64_t i = 0; i < numel; ++i)
      if (!std::isfinite(t.data[i]))
        throw Error("safetensors: tensor '" + t.name + "' holds a non-finite value at element " + std::to_string(i) +
                    "; refusing to write a file that cannot be loaded");
    const uint64_t bytes = uint64_t(numel) * 4;
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::ordered_json::exception& e) {
    throw Error(std::string("safetensors: cannot encode the header (metadata must be UTF-8): ") + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<uint8_t> out(8 + text.size() + size_t(offset));
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[size_t(i)] = uint8_t(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* dst = out.data() + 8 + text.size();
  for (const StTensorRef& t : tensors) {
    size_t bytes = size_t(shape_numel(t.shape)) * 4;
    if (bytes) std::memcpy(dst, t.data, bytes);
    dst += bytes;
  }
  return out;
}

void write_safetensors(const std::string& path, const std::vector<StTensorRef>& tensors, const Metadata& metadata) {
  std::vector<uint8_t> bytes = serialize_safetensors(tensors, metadata);
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace nnplay
