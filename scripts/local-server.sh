# shellcheck shell=bash
# Sourced, not run: the local HTTP server of the scripts that drive pages in headless
# Chromium (tests/e2e/run-web-e2e.sh, scripts/bench-web.sh, bench/run-web-bench.sh).
#
#   free_local_port                     prints a free TCP port on 127.0.0.1
#   start_local_server LOG PORT PROBE COMMAND...
#       runs COMMAND (a server on 127.0.0.1:PORT) in the background with its output in LOG,
#       stops it when the calling script exits, and waits until http://127.0.0.1:PORT/PROBE
#       answers. If the server exits first, or does not answer within 10 s, prints why
#       (with LOG) and exits 1.

free_local_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_local_server() {
  kill "$LOCAL_SERVER_PID" 2>/dev/null || true
  wait "$LOCAL_SERVER_PID" 2>/dev/null || true
}

start_local_server() {
  local log="$1" port="$2" probe="$3"
  shift 3
  "$@" >"$log" 2>&1 &
  LOCAL_SERVER_PID=$!
  trap stop_local_server EXIT
  local url="http://127.0.0.1:$port/$probe"
  for _ in $(seq 1 50); do
    if ! kill -0 "$LOCAL_SERVER_PID" 2>/dev/null; then
      echo "$(basename "$0"): the server did not start:" >&2
      cat "$log" >&2
      exit 1
    fi
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "$(basename "$0"): no answer from $url within 10 s:" >&2
  cat "$log" >&2
  exit 1
}
