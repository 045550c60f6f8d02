// The Korean text of the perceptron and gates panel's strings (see translations.h), keyed by the English.
#include "translations.h"

namespace nnplay::ui {

const KoreanTable& korean_gates() {
  static const KoreanTable table = {
  };
  return table;
}

}  // namespace nnplay::ui
