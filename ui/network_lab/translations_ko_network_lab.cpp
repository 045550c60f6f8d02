// The Korean text of the network lab's strings (see translations.h), keyed by the English:
// its panel, the network drawings it shares with the gates panel, the line plots' own
// words and the presets' descriptions. Short words the shell or another panel already
// translates ("Train", "dataset", "input", ...) are looked up there, not repeated here.
#include "widgets/translations.h"

namespace nnplay::ui {

const KoreanTable& korean_network_lab() {
  static const KoreanTable table = {
      // --- Headings
      {"Network: each neuron's output over the input plane", "신경망: 입력 평면 위에서 본 각 뉴런의 출력"},
      {"Output: the decision map", "출력: 결정 경계 지도"},
      {"Progress", "학습 상황"},
      {"Cost and accuracy per epoch", "에포크별 비용과 정확도"},
      {"Outputs", "출력값"},
      // --- Run controls and status
      {"train one epoch", "에포크 하나만 학습"},
      {"new initial weights from the seed, back to epoch 0", "시드로 가중치를 새로 초기화하고 에포크 0으로 돌아가기"},
      {"epoch %d / %d", "에포크 %d / %d"},
      {"training", "학습 중"},
      {"paused", "멈춤"},
      {"Reached the epoch limit: raise 'epochs' to go on.", "에포크 한도에 닿았습니다. 더 학습하려면 '에포크'를 늘리세요."},
      {"Accuracy has not improved for %d epochs. These settings learn it: keep training.",
       "정확도가 %d 에포크 동안 오르지 않았습니다. 이 설정은 결국 학습에 성공하니 계속 학습해 보세요."},
      {"Accuracy has not improved for %d epochs. A wider network, tanh, Adam or a smaller learning rate may help:",
       "정확도가 %d 에포크 동안 오르지 않았습니다. 뉴런을 늘리거나 tanh, Adam, 더 작은 학습률을 써 보세요:"},
      {"Use settings that learn it", "학습에 성공하는 설정 쓰기"},
      {"%s, %s, %s, learning rate %g, %s, %d epochs", "%s, %s, %s, 학습률 %g, %s, %d 에포크"},
      {", at least %d points", ", 점 %d개 이상"},
      {"batch %d", "배치 %d"},
      {"full batch", "전체 배치"},
      // --- Data
      {"XOR (the tutorial's 4 points)", "XOR (강의의 점 4개)"},
      {"circle", "원"},
      {"XOR quadrants", "XOR 사분면"},
      {"two Gaussians", "가우시안 두 덩어리"},
      {"spiral", "나선"},
      {"points", "점 개수"},
      {"noise", "잡음"},
      {"test share", "테스트 비율"},
      {"the share of points kept apart as test data, never trained on",
       "학습에 쓰지 않고 테스트 데이터로 떼어 두는 점의 비율"},
      {"XOR: the tutorial's four points, trained and tested on.", "XOR: 강의의 점 4개로 학습하고 같은 점으로 평가합니다."},
      // --- Model and training
      {"neurons", "뉴런 수"},
      {"hidden layer %d: drag or type its neurons (1 to %d)", "은닉층 %d: 뉴런 수를 끌거나 입력하세요 (1~%d)"},
      {"layers %s", "층 구성 %s"},
      {"sigmoid", "시그모이드"},
      {"tanh", "tanh"},
      {"ReLU", "ReLU"},
      {"cost function", "비용 함수"},
      {"BCE (binary cross-entropy)", "BCE (이진 교차 엔트로피)"},
      {"MSE (mean squared error)", "MSE (평균 제곱 오차)"},
      {"SGD", "SGD"},
      {"Adam", "Adam"},
      {"points per update; 0: all the training points at once", "한 번 갱신에 쓰는 점의 수. 0이면 학습 데이터 전체"},
      {"speed", "속도"},
      {"as fast as it goes", "최대 속도"},
      {"%d epochs/s", "초당 %d 에포크"},
      {"Learning rate, activation, epochs and speed change a run as it trains; the rest starts it over.",
       "학습률, 활성화 함수, 에포크, 속도는 학습 중에도 바로 바뀌고, 나머지를 바꾸면 처음부터 다시 학습합니다."},
      // --- What it measured
      {"the 4 points", "점 4개"},
      {"training set", "학습 데이터"},
      {"test set", "테스트 데이터"},
      {"cost", "비용"},
      {"training cost", "학습 비용"},
      {"test cost", "테스트 비용"},
      {"training accuracy", "학습 정확도"},
      {"the first %d of %d test points", "처음 %d개의 테스트 점 (전체 %d개)"},
      {"accuracy %.4f (%d of %d)", "정확도 %.4f (%d/%d개 정답)"},
      {"test accuracy %.4f (%d of %d)", "테스트 정확도 %.4f (%d/%d개 정답)"},
      // --- The drawings and plots
      {"colour: output (orange 0 .. blue 1); dots: training points",
       "색: 출력값 (주황 0 .. 파랑 1), 점: 학습 데이터"},
      {"colour: output (orange 0 .. blue 1); dots: training points; rings: test points",
       "색: 출력값 (주황 0 .. 파랑 1), 점: 학습 데이터, 고리: 테스트 데이터"},
      {"x1 = %.2f, x2 = %.2f\noutput %.3f", "x1 = %.2f, x2 = %.2f\n출력 %.3f"},
      {"hidden layer %d (%s)", "은닉층 %d (%s)"},
      {"layer %d, neuron %d: activation %.2f .. %.2f", "%d층 뉴런 %d: 활성값 %.2f .. %.2f"},
      {"layer %d, neuron %d: bias %.4f", "%d층 뉴런 %d: 편향 %.4f"},
      {"input x%d", "입력 x%d"},
      {"weight %.4f\nfrom layer %d node %d to layer %d node %d", "가중치 %.4f\n%d층 노드 %d → %d층 노드 %d"},
      {"edges: blue positive, orange negative, thicker = larger |w| (max %.3g); hover to read",
       "선: 파랑은 양수, 주황은 음수, 굵을수록 |가중치|가 큼 (최대 %.3g). 마우스를 올리면 값이 보입니다"},
      {"no data yet", "아직 데이터 없음"},
      {", log scale", ", 로그 눈금"},
  };
  return table;
}

}  // namespace nnplay::ui
