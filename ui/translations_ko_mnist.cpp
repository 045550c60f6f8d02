// The Korean text of the MNIST panel's strings (see translations.h), keyed by the English.
#include "translations.h"

namespace nnplay::ui {

const KoreanTable& korean_mnist() {
  static const KoreanTable table = {
  };
  return table;
}

}  // namespace nnplay::ui
