// Replacing a file atomically: a crash or a kill during a save leaves either the old
// file or the new one, never a half-written mix.
//
// The bytes go to a temporary file in the same folder (rename is only atomic within one
// file system), are flushed and fsync'ed, and the temporary file is then renamed over
// the target; the folder is fsync'ed so that the rename itself survives a power loss.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nnplay {

// Writes `size` bytes to `path` atomically. Throws Error naming the path and the
// system's reason on any failure, after removing its temporary file.
void write_file_atomic(const std::string& path, const uint8_t* bytes, size_t size);

// Throws Error unless `path` could be written later (its folder exists and is writable,
// and it is not a folder itself): lets a long run fail at the start, not at its end.
void check_writable(const std::string& path);

}  // namespace nnplay
