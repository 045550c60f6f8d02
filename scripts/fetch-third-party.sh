#!/usr/bin/env bash
# Fetch third-party sources that nnplay compiles itself but never keeps in git:
# Dear ImGui 1.86 (core + backends) from Debian's `imgui` source package, unpacked into
# third_party/imgui-1.86. Debian's libimgui-dev lacks the core .cpp files that the
# WebAssembly build must compile, so both native and web builds use this one copy.
# Idempotent: does nothing when the folder is already complete.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/third_party/imgui-1.86"
CACHE="$ROOT/third_party/.downloads"
VERSION="1.86"

have_imgui() {
  local f
  for f in imgui.h imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp imgui_demo.cpp \
           backends/imgui_impl_sdl.cpp backends/imgui_impl_opengl3.cpp; do
    [[ -f "$DEST/$f" ]] || return 1
  done
}

if have_imgui; then
  echo "fetch-third-party.sh: ImGui $VERSION already in third_party/imgui-1.86"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "fetch-third-party.sh: not root and sudo not found" >&2; exit 1; }
  SUDO=(sudo)
fi
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)

# Source packages need deb-src entries. Derive them from the machine's own binary entries
# (same archive, suites and keys), so no archive address is ever written down here.
have_source_entries() {
  apt-cache showsrc imgui 2>/dev/null | grep -q '^Package: imgui'
}
if ! have_source_entries; then
  if ! grep -qsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/*; then
    echo "fetch-third-party.sh: enabling Debian source packages (deb-src) from the existing apt entries"
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        | "${SUDO[@]}" tee /etc/apt/sources.list.d/nnplay-debian-src.sources >/dev/null
    elif [[ -f /etc/apt/sources.list ]]; then
      grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
        | "${SUDO[@]}" tee /etc/apt/sources.list.d/nnplay-debian-src.list >/dev/null
    else
      echo "fetch-third-party.sh: no apt source entries found to derive deb-src from" >&2
      exit 1
    fi
  fi
  "${APT[@]}" update -qq
  have_source_entries || { echo "fetch-third-party.sh: apt still knows no source package 'imgui'" >&2; exit 1; }
fi

mkdir -p "$CACHE"
shopt -s nullglob
tarballs=("$CACHE"/imgui_${VERSION}*.orig.tar.*)
if (( ${#tarballs[@]} == 0 )); then
  echo "fetch-third-party.sh: downloading Debian source package imgui $VERSION"
  # apt-get source runs as the invoking user in the current folder; --download-only
  # skips dpkg-source, we only need the upstream tarball.
  srcver="$(apt-cache showsrc imgui | sed -n "s/^Version: \(${VERSION}[^ ]*\)$/\1/p" | head -n 1)"
  [[ -n "$srcver" ]] || { echo "fetch-third-party.sh: apt offers no imgui source package of version $VERSION" >&2; exit 1; }
  # As root, apt would hand the download to its unprivileged _apt user, who may not be
  # able to write here; download as the caller instead.
  sandbox=()
  [[ "$(id -u)" -eq 0 ]] && sandbox=(-o APT::Sandbox::User=root)
  (cd "$CACHE" && apt-get "${sandbox[@]}" source --download-only "imgui=$srcver" >/dev/null)
  tarballs=("$CACHE"/imgui_${VERSION}*.orig.tar.*)
fi
(( ${#tarballs[@]} )) || { echo "fetch-third-party.sh: no imgui_${VERSION} tarball was downloaded" >&2; exit 1; }

# Unpack into a temporary folder, then move into place, so an interrupted run never
# leaves a half-filled third_party/imgui-1.86 that looks complete.
tmp="$(mktemp -d "$ROOT/third_party/.unpack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tar -xf "${tarballs[0]}" -C "$tmp"
src="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
[[ -n "$src" && -f "$src/imgui.cpp" ]] || { echo "fetch-third-party.sh: unexpected tarball layout in ${tarballs[0]}" >&2; exit 1; }
rm -rf "$DEST"
mv "$src" "$DEST"
have_imgui || { echo "fetch-third-party.sh: third_party/imgui-1.86 is missing expected files" >&2; exit 1; }
echo "fetch-third-party.sh: ImGui $VERSION unpacked into third_party/imgui-1.86"
