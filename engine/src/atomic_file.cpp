// Atomic file replacement: temporary file in the target's folder, fsync, rename.
#include "nnplay/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "nnplay/error.h"

namespace nnplay {

namespace {

std::string sys_error(const std::string& path, const std::string& what) {
  return path + ": " + what + " (" + std::strerror(errno) + ")";
}

std::string folder_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Closes the descriptor and removes the temporary file unless the write succeeded.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep) ::unlink(path.c_str());
  }
};

}  // namespace

void check_writable(const std::string& path) {
  if (path.empty()) throw Error("cannot write a file with an empty name");
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw Error(path + ": is a folder, not a file");
  const std::string folder = folder_of(path);
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(path + ": the folder " + folder + " does not exist");
  if (::access(folder.c_str(), W_OK) != 0) throw Error(sys_error(path, "cannot write in " + folder));
}

void write_file_atomic(const std::string& path, const uint8_t* bytes, size_t size) {
  check_writable(path);

  // A name unique to this process and call, hidden (leading dot) and in the same folder:
  // rename() is only atomic within one file system.
  static std::atomic<unsigned> counter{0};
  const std::string folder = folder_of(path);
  const std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  TempFile tmp;
  tmp.path = folder + "/." + base + "." + std::to_string(::getpid()) + "." + std::to_string(counter++) + ".tmp";
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (tmp.fd < 0) throw Error(sys_error(path, "cannot create a temporary file in " + folder));

  // Written in chunks: one huge write() may be cut short, and a loop handles that anyway.
  constexpr size_t kChunk = size_t(1) << 20;
  size_t done = 0;
  while (done < size) {
    size_t n = size - done < kChunk ? size - done : kChunk;
    ssize_t w = ::write(tmp.fd, bytes + done, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw Error(sys_error(path, "write failed"));
    }
    done += size_t(w);
  }
  if (::fsync(tmp.fd) != 0) throw Error(sys_error(path, "fsync failed"));
  if (::close(tmp.fd) != 0) {
    tmp.fd = -1;
    throw Error(sys_error(path, "close failed"));
  }
  tmp.fd = -1;
  if (::rename(tmp.path.c_str(), path.c_str()) != 0) throw Error(sys_error(path, "cannot replace the file"));
  tmp.keep = true;  // it is the target now

  // Make the rename durable; a folder that cannot be opened or synced (some file
  // systems) does not undo a replace that has already happened, so this is best effort.
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
}

}  // namespace nnplay
