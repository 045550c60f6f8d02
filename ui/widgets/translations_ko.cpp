// The Korean text of every string the app shows, keyed by its English source text (see
// translations.h). Written for learners who follow the Korean course: its terms (원-핫 인코딩,
// 소프트맥스 회귀, 비용 함수, 퍼셉트론, 은닉층, 학습률, 에포크, 배치) are used throughout.
// Format directives (%d, %.3f, %s) stay in the same order as in the English text.
#include "widgets/translations.h"

namespace nnplay::ui {

namespace {

const KoreanTable& shell_table() {
  static const KoreanTable table = {
      // --- The app shell
      {"Perceptron & gates", "퍼셉트론과 논리 게이트"},
      {"Loss lab", "비용 함수 실험실"},
      {"Network lab", "신경망 실험실"},
      {"MNIST", "MNIST 손글씨"},
      {"Settings warnings (%d)", "설정 경고 (%d)"},
      {"Dismiss", "닫기"},
      {"Share these settings", "이 설정 공유하기"},
      {"Every panel's settings, seed included; opening them again restores this state:",
       "모든 패널의 설정(시드 포함)입니다. 이 주소를 다시 열면 지금 상태가 그대로 복원됩니다:"},
      {"Language", "언어"},
      {"English", "English"},
      {"Korean", "한국어"},
      // --- Controls every panel uses
      {"Train", "학습"},
      {"Pause", "일시 정지"},
      {"Step", "한 단계"},
      {"Reset", "초기화"},
      {"learning rate", "학습률"},
      {"epochs", "에포크"},
      {"epoch", "에포크"},
      {"batch", "배치 크기"},
      {"seed", "시드"},
      {"loss", "비용"},
      {"accuracy", "정확도"},
      {"optimizer", "옵티마이저"},
      {"activation", "활성화 함수"},
      {"layers", "층 구성"},
  };
  return table;
}

}  // namespace

const std::vector<std::pair<const char*, const char*>>& korean_strings() {
  static const KoreanTable all = [] {
    KoreanTable t = shell_table();
    for (const KoreanTable* part : {&korean_gates(), &korean_loss_lab(), &korean_network_lab(), &korean_mnist(), &korean_step()})
      t.insert(t.end(), part->begin(), part->end());
    return t;
  }();
  return all;
}

}  // namespace nnplay::ui
