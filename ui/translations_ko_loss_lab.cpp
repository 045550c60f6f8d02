// The Korean text of the loss lab's strings (see translations.h), keyed by the English.
#include "translations.h"

namespace nnplay::ui {

const KoreanTable& korean_loss_lab() {
  static const KoreanTable table = {
  };
  return table;
}

}  // namespace nnplay::ui
