#!/usr/bin/env bash
# Fuzz the safetensors reader alone: scripts/fuzz.sh's safetensors target (the input that
# causes a crash is saved under build/fuzz/safetensors/).
# Usage: scripts/fuzz-safetensors.sh [SECONDS]   (default 60)
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/fuzz.sh" "${1:-60}" safetensors
