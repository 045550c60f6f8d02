#!/usr/bin/env bash
# Subsets the app's two fonts (Noto Sans for Latin, Nanum Gothic for Korean; Debian's
# fonts-noto-core and fonts-nanum, installed by scripts/setup.sh) to the characters that
# the given source files contain, so that the page downloads a few hundred glyphs instead
# of whole fonts. Writes OUT_DIR/latin.ttf and OUT_DIR/korean.ttf.
# Usage: scripts/subset-fonts.sh OUT_DIR SOURCE_FILE...
set -euo pipefail
out=$1
shift
find_font() {  # package file
  local path
  path=$(dpkg -L "$1" 2>/dev/null | grep "/$2\$" | head -n 1 || true)
  [[ -n "$path" && -r "$path" ]] || { echo "subset-fonts.sh: $2 not found: install $1 (scripts/setup.sh does)" >&2; exit 1; }
  echo "$path"
}
latin=$(find_font fonts-noto-core NotoSans-Regular.ttf)
korean=$(find_font fonts-nanum NanumGothic.ttf)
/usr/bin/python3 -c 'import fontTools.subset' 2>/dev/null ||
  { echo "subset-fonts.sh: python3-fonttools is missing (scripts/setup.sh installs it)" >&2; exit 1; }
mkdir -p "$out"
text=$(mktemp)
trap 'rm -f "$text"' EXIT
# Every printable ASCII character, then whatever the sources hold.
printf '%s\n' "$(printf '%b' "$(printf '\\x%02x' $(seq 32 126))")" > "$text"
cat "$@" >> "$text"
for pair in "latin:$latin" "korean:$korean"; do
  /usr/bin/python3 -m fontTools.subset "${pair#*:}" --text-file="$text" --output-file="$out/${pair%%:*}.ttf" \
    --layout-features='' --no-hinting --desubroutinize 2>/dev/null
done
echo "subset-fonts.sh: $(stat -c %s "$out/latin.ttf") + $(stat -c %s "$out/korean.ttf") bytes in $out"
