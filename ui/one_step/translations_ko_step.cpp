// The one-step view's Korean text (see translations.h), in the course's terms: 순전파,
// 역전파, 기울기, 연쇄 법칙, 학습률, 가중치 갱신, 소프트맥스, 원-핫, 비용.
#include "widgets/translations.h"

namespace nnplay::ui {

const KoreanTable& korean_step() {
  static const KoreanTable table = {
      // --- The tab and where the model comes from
      {"One step", "한 단계 들여다보기"},
      {"Network lab's model", "신경망 실험실의 모델"},
      {"MNIST panel's model", "MNIST 패널의 모델"},
      {"One step…", "한 단계 들여다보기…"},
      {"one training step of these weights, every number", "이 가중치로 학습 한 단계를 숫자 하나하나까지 보기"},
      {"%s: %s, %s, SGD lr %s, batch %d", "%s: %s, %s, SGD 학습률 %s, 배치 %d"},
      {"This model trains with %s; the view shows one plain SGD step.",
       "이 모델은 %s(으)로 학습하지만, 여기서는 기본 SGD 한 단계를 보여 줍니다."},
      {"the first convolution's %d filters (%d×%d), one per column", "첫 번째 합성곱 층의 필터 %d개(%d×%d), 열마다 하나씩"},
      {"filter %d, row %d, column %d: %.4g", "필터 %d, %d행 %d열: %.4g"},
      // --- Moving through the stages
      {"◀ Prev", "◀ 이전"},
      {"Next ▶", "다음 ▶"},
      {"stage %d of %d", "%d / %d 단계"},
      {"Train on from the new weights", "갱신된 가중치로 계속 학습"},
      {"The panel continues from the stepped weights.", "패널이 한 단계 갱신된 가중치에서 학습을 이어 갑니다."},
      // --- Phases and stages
      {"The batch", "배치"},
      {"Forward pass", "순전파"},
      {"The loss", "비용"},
      {"Backward pass", "역전파"},
      {"Weight update", "가중치 갱신"},
      {"The batch: inputs", "배치: 입력"},
      {"The batch: labels", "배치: 레이블"},
      {"The batch: targets", "배치: 정답"},
      {"Softmax of the logits", "로짓의 소프트맥스"},
      {"One-hot targets", "원-핫 인코딩된 정답"},
      {"Gradient of the loss: dL/dlogits", "비용의 기울기: dL/dlogits"},
      {"Layer %d (%s): pre-activation", "%d번 층 (%s): 활성화 전 값"},
      {"Layer %d (%s): the logits", "%d번 층 (%s): 로짓"},
      {"Layer %d (%s): activation", "%d번 층 (%s): 활성화"},
      {"Layer %d: weight and bias gradients", "%d번 층: 가중치와 편향의 기울기"},
      {"Layer %d (%s): back through it", "%d번 층 (%s): 거꾸로 통과"},
      {"Layer %d: learning rate × gradient", "%d번 층: 학습률 × 기울기"},
      {"Layer %d: the new weights", "%d번 층: 갱신된 가중치"},
      // --- The picture
      {"sample shown", "보여 줄 샘플"},
      {"Show every neuron that fits", "들어가는 만큼 모든 뉴런 보기"},
      {"W[%d][%d] of layer %d: %.4g (click: write out its chain rule)",
       "W[%d][%d] (%d번 층): %.4g (클릭하면 연쇄 법칙을 풀어 씁니다)"},
      // --- The chosen weight
      {"Your weight: W[%d][%d] of layer %d", "고른 가중치: W[%d][%d] (%d번 층)"},
      {"Click an edge of the network (or a pixel of a weight image) to choose another.",
       "신경망의 연결선(또는 가중치 이미지의 픽셀)을 클릭하면 다른 가중치를 고를 수 있습니다."},
      {"z[n][%d] = Σⱼ x[n][j]·W[%d][j] + b[%d]: its term is x[n][%d]·W[%d][%d]",
       "z[n][%d] = Σⱼ x[n][j]·W[%d][j] + b[%d]: 이 가중치의 항은 x[n][%d]·W[%d][%d]"},
      {"sample %d: %s × %s = %s", "샘플 %d: %s × %s = %s"},
      {"z[%d][%d] = %s", "z[%d][%d] = %s"},
      {"The loss L = %s. The backward pass asks how L changes with W[%d][%d].",
       "비용 L = %s. 역전파는 W[%d][%d]가 바뀔 때 L이 얼마나 바뀌는지 묻습니다."},
      {"The chain rule, over the samples of the batch:", "연쇄 법칙 (배치의 샘플마다 더함):"},
      {"product", "곱"},
      {"… and %d more terms, summing to %s", "… 나머지 %d개 항의 합은 %s"},
      {"sum of the terms = %s; the engine's dL/dW[%d][%d] = %s", "항들의 합 = %s, 엔진이 계산한 dL/dW[%d][%d] = %s"},
      {"lr × dL/dW = %s × %s = %s", "학습률 × dL/dW = %s × %s = %s"},
      {"W' = W - lr·dL/dW = %s - %s = %s", "W' = W - 학습률·dL/dW = %s - %s = %s"},
      // --- The numbers
      {"The numbers, beside PyTorch's", "숫자 (PyTorch 값과 나란히)"},
      {"PyTorch %s took this very step: largest relative difference %s over %d quantities",
       "PyTorch %s(으)로 똑같은 단계를 기록해 두었습니다: 최대 상대 오차 %s (%d개 값 묶음)"},
      {"No PyTorch values for this step: the model, the batch or the rate differ from the recorded ones.",
       "이 단계에는 PyTorch 값이 없습니다: 모델, 배치 또는 학습률이 기록된 것과 다릅니다."},
      {"… %d values in all", "… 모두 %d개 값"},
      {"PyTorch: max |Δ| %s, relative %s (%d values compared)", "PyTorch와 비교: 최대 |Δ| %s, 상대 %s (%d개 값 비교)"},
  };
  return table;
}

}  // namespace nnplay::ui
