// The Korean text of the network lab's strings (see translations.h), keyed by the English.
#include "translations.h"

namespace nnplay::ui {

const KoreanTable& korean_network_lab() {
  static const KoreanTable table = {
  };
  return table;
}

}  // namespace nnplay::ui
