#!/usr/bin/env bash
# End-to-end test of the desktop app `nnplay` in a real X window under Xvfb (software
# OpenGL from Mesa): it starts and renders (its own PNG of the framebuffer, and a grab of
# the X screen showing the window), every panel is drawn at a laptop's and a phone's size
# in English and Korean, a bad option is refused, and --self-test exits 0.
# Screenshots go to build/e2e-artifacts/ (desktop.png is the one after the self-test).
# Usage: tests/desktop/run-desktop-test.sh [path/to/nnplay]   (default: the native preset's)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${1:-$ROOT/build/native/native/app/nnplay}"
ART="$ROOT/build/e2e-artifacts"
mkdir -p "$ART"
# 24-bit colour: xvfb-run's default 8-bit screen has no visual an OpenGL context can use.
XVFB=(xvfb-run -a -s "-screen 0 1600x1000x24")

[[ -x "$APP" ]] || { echo "run-desktop-test.sh: $APP not found; build the native preset first" >&2; exit 1; }
for tool in xvfb-run convert import; do
  command -v "$tool" >/dev/null || { echo "run-desktop-test.sh: '$tool' missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

failures=0
check() {  # check NAME CONDITION-COMMAND...
  local name="$1"; shift
  if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
# A drawn UI has many colours; a blank or failed frame has one or two.
colours() { convert "$1" -format %k info:; }
drawn() { [[ -f "$1" ]] && (( $(colours "$1") > 20 )); }
size_is() { [[ "$(convert "$1" -format %wx%h info:)" == "$2" ]]; }

echo "== starts and renders 20 frames of the network lab"
rm -f "$ART/desktop-start.png"
set +e
timeout 120 "${XVFB[@]}" "$APP" --settings "panel=network" --frames 20 --screenshot "$ART/desktop-start.png"
rc=$?
set -e
check "exit status 0 after 20 frames (got $rc)" test "$rc" -eq 0
check "framebuffer screenshot shows the UI" drawn "$ART/desktop-start.png"
check "framebuffer screenshot is 1280x800" size_is "$ART/desktop-start.png" 1280x800

echo "== a real X window: grab the X screen while the app runs"
rm -f "$ART/desktop-xscreen.png"
timeout 120 "${XVFB[@]}" bash -c '
  app="$1"; shot="$2"
  "$app" --settings "panel=loss" & pid=$!
  for i in $(seq 1 100); do
    import -window root "$shot" 2>/dev/null && (( $(convert "$shot" -format %k info:) > 20 )) && break
    sleep 0.2
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
' grab "$APP" "$ART/desktop-xscreen.png"
check "X screen grab shows the window's UI" drawn "$ART/desktop-xscreen.png"

echo "== every panel at 1280x800 and 390x844, in English and Korean"
for size in 1280x800 390x844; do
  for lang in en ko; do
    for panel in gates loss network mnist step; do
      shot="$ART/desktop-$panel-$lang-$size.png"
      rm -f "$shot"
      timeout 120 "${XVFB[@]}" "$APP" --settings "panel=$panel&lang=$lang" --size "$size" --frames 12 \
        --screenshot "$shot" >/dev/null 2>&1 || true
      check "$panel in $lang at $size is drawn" drawn "$shot"
    done
  done
done

echo "== hostile --settings: out of range, repeated, huge, NaN, not UTF-8; each named, no crash"
long=$(printf 'x%.0s' $(seq 1 20000))
hostile=(
  "lr=0&epochs=0&points=1&noise=2&batch=-1&speed=99999999"
  "lr=NaN&scale=Infinity&w1=-inf&mlr=1e400"
  "panel=network&panel=mnist&panel=nowhere"
  "layers=$long&dataset=$long"
  "lang=%FF%FE&hide=%C0%AF&mlayers=784-%E2%88%9E-10"
  "$(printf 'k%.0s' $(seq 1 5000))=1&=&&&=x&novalue"
)
for i in "${!hostile[@]}"; do
  set +e
  out=$(timeout 120 "${XVFB[@]}" "$APP" --settings "${hostile[$i]}" --frames 10 2>&1)
  rc=$?
  set -e
  check "hostile settings #$i: exit 0 after 10 frames (got $rc)" test "$rc" -eq 0
  check "hostile settings #$i: its problems are named" grep -q "ignored" <<<"$out"
done

echo "== refuses a bad option"
set +e
timeout 60 "${XVFB[@]}" "$APP" --frames -3 >/dev/null 2>&1
rc=$?
set -e
check "--frames -3 is refused (exit $rc)" test "$rc" -ne 0

echo "== --self-test"
rm -f "$ART/desktop.png"
log="$ART/desktop-self-test.log"
set +e
timeout 300 "${XVFB[@]}" "$APP" --self-test --screenshot "$ART/desktop.png" >"$log" 2>&1
rc=$?
set -e
cat "$log"
check "--self-test exits 0 (got $rc)" test "$rc" -eq 0
check "the self-test log says passed" grep -q "self-test passed" "$log"
check "no failed check in the log" bash -c "! grep -q '^FAIL' '$log'"
check "desktop.png shows the UI" drawn "$ART/desktop.png"

if (( failures )); then
  echo "run-desktop-test.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "run-desktop-test.sh: all desktop checks passed (screenshots in $ART)"
