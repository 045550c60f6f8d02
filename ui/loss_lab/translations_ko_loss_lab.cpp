// The Korean text of the loss lab panel's strings (see translations.h), keyed by the English.
// PyTorch expressions (log_softmax, nll_loss, cross_entropy) stay as code.
#include "widgets/translations.h"

namespace nnplay::ui {

const KoreanTable& korean_loss_lab() {
  static const KoreanTable table = {
      // --- What you set
      {"Inputs", "입력값"},
      {"scale", "배율"},
      {"Every logit is multiplied by this. At a few hundred, softmax rounds the small probabilities to exactly 0 in float; log(0) = -inf and 0 * -inf = NaN break the first two forms, while log_softmax computes z - max - log(sum exp(z - max)) and never takes that log.",
       "모든 로짓에 이 값을 곱합니다. 수백에 이르면 소프트맥스가 작은 확률을 float에서 정확히 0으로 반올림합니다. "
       "log(0) = -inf, 0 * -inf = NaN이 되어 처음 두 형태가 깨지지만, log_softmax는 "
       "z - max - log(sum exp(z - max))로 계산하므로 그런 로그를 취하지 않습니다."},
      {"Logits z and labels y", "로짓 z와 레이블 y"},
      {"3 samples x 5 classes, uniform in [0, 1) like torch.rand(3, 5); drag a cell to edit it. y is each sample's class.",
       "샘플 3개 x 클래스 5개, torch.rand(3, 5)처럼 [0, 1)에서 균등하게 뽑았습니다. 칸을 드래그하면 값을 고칠 수 "
       "있습니다. y는 각 샘플의 정답 클래스입니다."},
      {"Undo edits", "수정 되돌리기"},
      // --- What you watch
      {"Softmax against the one-hot targets, and the five costs", "소프트맥스와 원-핫 정답, 그리고 다섯 가지 비용"},
      {"-log(softmax), step by step", "-log(softmax), 단계별 계산"},
      {"-log(softmax), in one line", "-log(softmax), 한 줄로"},
      {"sample %d, class %d: z = %.3f, softmax %.6g, one-hot %d", "샘플 %d, 클래스 %d: z = %.3f, 소프트맥스 %.6g, 원-핫 %d"},
      {"sample %d", "샘플 %d"},
      {"-log p = %s", "-log p = %s"},
      {"click: show this form's gradient", "클릭: 이 형태의 기울기(gradient) 보기"},
      {"target class", "정답 클래스"},
      {"other classes", "나머지 클래스"},
      {"one-hot target (1)", "원-핫 정답 (1)"},
      {"rounds to exactly 0", "정확히 0으로 반올림됨"},
      {"bars: softmax(%g * z) per sample; the cost is the mean of -log p over the samples",
       "막대: 샘플별 softmax(%g * z). 비용은 샘플들의 -log p 평균입니다"},
      // --- What it measured
      {"Five costs", "다섯 가지 비용"},
      {"One cost, five ways. The last column is the largest difference between each form's gradient dz and cross_entropy's; pick a form to see its dz below.",
       "하나의 비용을 다섯 가지로 씁니다. 마지막 열은 각 형태의 기울기(gradient) dz와 cross_entropy의 dz 사이의 "
       "최대 차이입니다. 형태를 고르면 아래에 그 dz가 나옵니다."},
      {"cost formulation", "비용 함수 형태"},
      {"value", "값"},
      {"log(softmax(z)) path: finite", "log(softmax(z)) 경로: 유한"},
      {"log(softmax(z)) path: broken (inf/NaN)", "log(softmax(z)) 경로: 깨짐 (inf/NaN)"},
      {"log_softmax / nll_loss / cross_entropy: finite", "log_softmax / nll_loss / cross_entropy: 유한"},
      {"log_softmax path: broken", "log_softmax 경로: 깨짐"},
      {"all five agree", "다섯 값이 모두 일치"},
      {"Gradient dz of form %d (3 x 5)", "형태 %d의 기울기(gradient) dz (3 x 5)"},
      {"For cross_entropy, dz = (softmax(z) - one-hot) / 3: negative only at each sample's target.",
       "cross_entropy의 dz = (softmax(z) - 원-핫) / 3: 각 샘플의 정답 칸에서만 음수입니다."},
      {"Softmax without subtracting the max", "최댓값을 빼지 않은 소프트맥스"},
      {"The textbook formula exp(z) / sum exp(z) taken literally, sample 0: exp overflows past z = 88.7.",
       "교과서 공식 exp(z) / sum exp(z)를 그대로 계산한 샘플 0: z가 88.7을 넘으면 exp가 오버플로합니다."},
      {"exp overflowed", "exp 오버플로 발생"},
      {"One-hot encoding: why not labels 1, 2, 3", "원-핫 인코딩: 왜 레이블 1, 2, 3을 쓰지 않을까"},
      {"Three classes with no order between them. One-hot gives each its own axis, so every mistake costs the same; with labels 1, 2, 3 a parrot is four times as wrong for a dog as a cat is.",
       "세 클래스 사이에는 순서가 없습니다. 원-핫 인코딩은 클래스마다 축을 하나씩 주므로 어떤 실수든 비용이 같습니다. "
       "레이블 1, 2, 3을 쓰면 개를 앵무새로 틀린 것이 고양이로 틀린 것보다 네 배나 나쁜 셈이 됩니다."},
      {"Squared distance between classes, which is what MSE penalises:", "클래스 사이의 거리 제곱 (MSE가 벌점으로 매기는 값):"},
      {"dog", "개"},
      {"cat", "고양이"},
      {"parrot", "앵무새"},
      {"animal", "동물"},
      {"integer label", "정수 레이블"},
      {"one-hot", "원-핫"},
      {"pair", "쌍"},
      {"labels 1,2,3", "레이블 1,2,3"},
  };
  return table;
}

}  // namespace nnplay::ui
