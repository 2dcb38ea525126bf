#!/usr/bin/env bash
# How long `npm start` takes to answer: from the command to the first 200 on
# /health, on a fresh data directory (so migrations run), unconfigured as a new
# user starts it. Usage: bench/start-time.sh [runs] (port: PORT, default 18500).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PORT=${PORT:-18500}
test -f dist/src/main.js || npm run build --silent
for run in $(seq 1 "$RUNS"); do
  data=$(mktemp -d)
  start=$(date +%s.%N)
  DATA_DIR=$data PORT=$PORT setsid npm start >"$data/log" 2>&1 &
  group=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; do
    if ! kill -0 "$group" 2>/dev/null; then cat "$data/log"; exit 1; fi
    sleep 0.01
  done
  end=$(date +%s.%N)
  printf 'run %d: /health answered %.2f s after npm start (load average %s)\n' \
    "$run" "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
  kill -- -"$group"
  wait "$group" 2>/dev/null || true
  rm -rf "$data"
done
