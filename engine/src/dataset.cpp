// Loading an IDX dataset folder, and the shuffling batch loader.
#include "nnplay/dataset.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "nnplay/error.h"
#include "nnplay/idx.h"

namespace nnplay {

namespace {

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// "<dir>/<name>" if present, else "<dir>/<name>.gz"; throws naming both if neither is.
std::string find_idx_file(const std::string& dir, const std::string& name) {
  std::string raw = dir + "/" + name;
  if (file_exists(raw)) return raw;
  if (file_exists(raw + ".gz")) return raw + ".gz";
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(dir + ": data folder does not exist (run scripts/fetch-mnist.sh, or pass --data DIR)");
  throw Error(raw + ": missing (neither " + name + " nor " + name + ".gz is in " + dir + ")");
}

}  // namespace

Dataset Dataset::head(int64_t n) const {
  Dataset d = *this;
  n = std::clamp<int64_t>(n, 0, count);
  d.count = n;
  d.images.resize(size_t(n * dim()));
  d.labels.resize(size_t(n));
  return d;
}

Dataset load_idx_dataset(const std::string& dir, Split split) {
  const std::string prefix = split == Split::Train ? "train" : "t10k";
  const std::string img_path = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  const std::string lab_path = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
  IdxImages img = read_idx_images(img_path);
  IdxLabels lab = read_idx_labels(lab_path);
  if (img.count != lab.count)
    throw Error(img_path + ": holds " + std::to_string(img.count) + " images but " + lab_path + " holds " +
                std::to_string(lab.count) + " labels");
  Dataset d;
  d.name = dir + (split == Split::Train ? " (train)" : " (test)");
  d.count = img.count;
  d.rows = img.rows;
  d.cols = img.cols;
  d.images = std::move(img.pixels);
  d.labels = std::move(lab.labels);
  int max_label = 0;
  for (uint8_t l : d.labels) max_label = std::max<int>(max_label, l);
  if (max_label >= 10) {
    // MNIST-like sets have ten classes; anything else is most likely a wrong file.
    throw Error(lab_path + ": label " + std::to_string(max_label) + " is outside 0..9");
  }
  d.classes = 10;
  return d;
}

BatchLoader::BatchLoader(Backend& backend, const Dataset& data, int64_t batch_size, bool shuffle, bool drop_last,
                         uint64_t seed)
    : backend_(backend), data_(data), batch_size_(batch_size), shuffle_(shuffle), drop_last_(drop_last), rng_(seed) {
  if (batch_size <= 0) throw Error("batch size must be positive, got " + std::to_string(batch_size));
  if (data.count == 0) throw Error(data.name + ": the dataset is empty");
  order_.resize(size_t(data.count));
  check_dataset_size();
  // A host-memory backend gathers from data.images itself: copying it would only double
  // the memory the training set takes. Any other backend gets it once, as uint8, and
  // gathers batches there.
  if (!backend.uses_host_memory()) {
    size_t img_bytes = data.images.size(), lab_bytes = data.labels.size();
    void* img = backend.alloc(img_bytes);
    Backend* be = &backend;
    images_dev_ = std::shared_ptr<void>(img, [be](void* p) { be->release(p); });
    void* lab = backend.alloc(lab_bytes);
    labels_dev_ = std::shared_ptr<void>(lab, [be](void* p) { be->release(p); });
    backend.upload(img, data.images.data(), img_bytes);
    backend.upload(lab, data.labels.data(), lab_bytes);
    void* order = backend.alloc(order_.size() * sizeof(int32_t));
    order_dev_ = std::shared_ptr<void>(order, [be](void* p) { be->release(p); });
  }
  start_epoch();
}

void BatchLoader::check_dataset_size() const {
  // Every index the loader hands out is below the count it started with, so reads stay
  // inside the buffers as long as they still hold that many samples.
  const int64_t count = int64_t(order_.size());
  if (data_.count != count || data_.dim() <= 0 || int64_t(data_.images.size()) < count * data_.dim() ||
      int64_t(data_.labels.size()) < count)
    throw Error(data_.name + ": the batch loader needs " + std::to_string(count) + " images of " +
                std::to_string(data_.dim()) + " pixels and as many labels, but the dataset holds " +
                std::to_string(data_.count) + " images, " + std::to_string(data_.images.size()) +
                " pixel bytes and " + std::to_string(data_.labels.size()) + " labels");
}

int64_t BatchLoader::batches_per_epoch() const {
  return drop_last_ ? data_.count / batch_size_ : (data_.count + batch_size_ - 1) / batch_size_;
}

void BatchLoader::start_epoch() {
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = int32_t(i);
  if (shuffle_) nnplay::shuffle(order_.data(), uint32_t(order_.size()), rng_);
  if (order_dev_) backend_.upload(order_dev_.get(), order_.data(), order_.size() * sizeof(int32_t));
  cursor_ = 0;
}

bool BatchLoader::next(Tensor& x, Labels& labels) {
  check_dataset_size();
  int64_t remaining = data_.count - cursor_;
  int64_t n = std::min(batch_size_, remaining);
  if (n <= 0 || (drop_last_ && n < batch_size_)) return false;
  // In place, the current buffers are read (not pointers kept from the constructor), so
  // a dataset whose vectors were reassigned at the same size is still read correctly.
  const uint8_t* images = images_dev_ ? static_cast<const uint8_t*>(images_dev_.get()) : data_.images.data();
  const uint8_t* all_labels = labels_dev_ ? static_cast<const uint8_t*>(labels_dev_.get()) : data_.labels.data();
  const int32_t* order = order_dev_ ? static_cast<const int32_t*>(order_dev_.get()) : order_.data();
  backend_.gather_batch(images, all_labels, data_.dim(), order + cursor_, n, 1.0f / 255.0f, x, labels);
  cursor_ += n;
  // The next batch's rows travel to the cache while this batch trains: scattered over the
  // whole set, they would otherwise each start with a cache miss.
  const int64_t next = std::min(batch_size_, data_.count - cursor_);
  if (next > 0 && !order_dev_) backend_.prefetch_rows(images, data_.dim(), order_.data() + cursor_, next);
  return true;
}

bool BatchLoader::next(Batch& batch) {
  if (!x_.backend()) {
    x_ = Tensor(backend_, {0});
    labels_ = Labels(backend_, 0);
  }
  if (!next(x_, labels_)) return false;
  batch = Batch{&x_, &labels_, nullptr};
  return true;
}

}  // namespace nnplay
