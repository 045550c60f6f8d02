// The Korean text of the perceptron and gates panel's strings (see translations.h), keyed by the English.
// Gate names (AND, NAND, OR, XOR) and symbols (w1, x1, b) stay in Latin, as in the course.
#include "widgets/translations.h"

namespace nnplay::ui {

const KoreanTable& korean_gates() {
  static const KoreanTable table = {
      // --- What you set
      {"Logic gate", "논리 게이트"},
      {"Weights and bias", "가중치와 편향"},
      {"The output is 1 when w1*x1 + w2*x2 + b > 0, else 0: the line w1*x1 + w2*x2 + b = 0 splits the plane.",
       "w1*x1 + w2*x2 + b > 0이면 출력은 1, 아니면 0입니다. 직선 w1*x1 + w2*x2 + b = 0이 평면을 둘로 나눕니다."},
      {"weight of input x1", "입력 x1의 가중치"},
      {"weight of input x2", "입력 x2의 가중치"},
      {"bias: moves the line without turning it", "편향: 직선을 돌리지 않고 평행 이동시킵니다"},
      {"Tutorial weights", "강의 예제의 가중치"},
      {"XOR has no tutorial weights: no single line separates its 1s from its 0s. Try the sliders; at most three rows come out right.",
       "XOR에는 강의 예제의 가중치가 없습니다. 직선 하나로는 1과 0을 가를 수 없기 때문입니다. 슬라이더를 움직여 "
       "보세요. 많아야 세 행만 맞습니다."},
      {"Perceptron learning rule", "퍼셉트론 학습 규칙"},
      {"From zero weights, the four inputs in turn: when the output is wrong, each weight moves by lr*(target - output)*its input, and b by lr*(target - output).",
       "가중치 0에서 시작해 네 입력을 차례로 보여 줍니다. 출력이 틀리면 각 가중치에 lr*(target - output)*입력을, "
       "b에 lr*(target - output)을 더합니다."},
      {"Replay", "다시 보기"},
      {"steps per second", "초당 단계 수"},
      // --- What you watch
      {"The four inputs and the decision line", "네 입력과 결정 경계"},
      {"target 1", "정답 1"},
      {"target 0", "정답 0"},
      {"wrong output", "틀린 출력"},
      {"shaded: output 1", "색칠된 영역: 출력 1"},
      {"last input the rule saw", "규칙이 마지막으로 본 입력"},
      {"The digit in each dot is the perceptron's output.", "점 안의 숫자는 퍼셉트론의 출력입니다."},
      {"Learn XOR with a 2-2-1 network", "2-2-1 신경망으로 XOR 학습하기"},
      {"x1 = %.2f, x2 = %.2f\nw.x + b = %+.3f -> output %d", "x1 = %.2f, x2 = %.2f\nw.x + b = %+.3f -> 출력 %d"},
      {"XOR from NAND, OR and AND", "NAND, OR, AND로 만든 XOR"},
      {"mismatch", "불일치"},
      {"Each box is one of the tutorial's perceptrons; two layers do what one cannot.",
       "상자 하나하나가 강의의 퍼셉트론입니다. 층을 둘로 쌓으면 한 층으로는 못 하는 일을 해냅니다."},
      {"XOR with a 2-2-1 network", "2-2-1 신경망으로 푸는 XOR"},
      {"Two sigmoid hidden units each draw a line; the output unit combines the two half-planes. Trained with binary cross-entropy and SGD on the four XOR points.",
       "시그모이드 은닉 유닛 두 개가 직선을 하나씩 긋고, 출력 유닛이 두 반평면을 결합합니다. XOR의 네 점에 대해 "
       "이진 교차 엔트로피와 SGD로 학습합니다."},
      {"Continue", "계속"},
      {"Learn XOR", "XOR 학습"},
      {"not trained yet", "아직 학습하지 않음"},
      {"epoch %d / %d, loss %.5f, accuracy %.2f", "에포크 %d / %d, 비용 %.5f, 정확도 %.2f"},
      // --- What it measured
      {"Truth table", "진리표"},
      {"output", "출력"},
      {"target", "정답"},
      {"%d of 4 rows correct", "4행 중 %d행 정답"},
      {"What the learning rule did", "학습 규칙이 한 일"},
      {"not started: weights (0, 0, 0)", "시작 전: 가중치 (0, 0, 0)"},
      {"epoch %d, input (%d, %d): target %d, output %d", "에포크 %d, 입력 (%d, %d): 정답 %d, 출력 %d"},
      {"update: w1 %+.2f, w2 %+.2f, b %+.2f", "갱신: w1 %+.2f, w2 %+.2f, b %+.2f"},
      {"right output: no update", "출력이 맞음: 갱신 없음"},
      {"weights now (%.2f, %.2f, %.2f)", "현재 가중치 (%.2f, %.2f, %.2f)"},
      {"converged in %d epochs: an epoch without a single error", "%d 에포크 만에 수렴: 오류가 하나도 없는 에포크가 나왔습니다"},
      {"cycle: the weights after epoch %d equal those after epoch %d; the rule is deterministic, so it repeats forever and never converges",
       "순환: 에포크 %d 뒤의 가중치가 에포크 %d 뒤의 가중치와 같습니다. 규칙은 결정적이라 같은 과정을 영원히 "
       "되풀이하며 수렴하지 않습니다"},
      {"converged", "수렴"},
      {"cycled", "순환"},
      {"still going", "진행 중"},
      {"engine's train_perceptron: %s after %d epochs", "엔진의 train_perceptron: %s (%d 에포크 후)"},
      {"errors", "오류 수"},
      {"2-2-1 network outputs", "2-2-1 신경망의 출력"},
      {"hidden %d: %.2f*x1 %+.2f*x2 %+.2f = 0", "은닉 유닛 %d: %.2f*x1 %+.2f*x2 %+.2f = 0"},
      {"input", "입력"},
      {"prediction", "예측"},
  };
  return table;
}

}  // namespace nnplay::ui
