#!/usr/bin/env bash
# Measures `import:django` on 100,000 users (each with a DRF key and an allauth
# address) from a Django SQLite database into a fresh Gatehouse database, then
# a re-import (nothing changed). Usage: bench/import-100k.sh [users] [target DATABASE_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TARGET=${2:-sqlite:$work/gatehouse.sqlite}
npm run build --silent
echo "building a Django database with $COUNT users (Django's migrations, then bulk rows)…"
/usr/bin/python3 test/fixtures/legacy/make_legacy_db.py django-bulk "sqlite:$work/django.sqlite3" "$work/out.json" "$COUNT"
run() {
  local start end
  start=$(date +%s.%N)
  DATA_DIR=$work DATABASE_URL=$TARGET JWT_SECRET=bench-secret-that-is-long-enough-0123456789 \
    node dist/src/cli/main.js import:django --database-url "sqlite:$work/django.sqlite3" 2>/dev/null
  end=$(date +%s.%N)
  printf '%s: %.1f s\n' "$1" "$(echo "$end - $start" | bc)"
}
run "first import of $COUNT users"
run "re-import (unchanged)"
