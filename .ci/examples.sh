#!/usr/bin/env bash
# The examples, installed as a consumer installs Gatehouse: `npm pack` of this repository,
# each example copied to a fresh directory outside it (nothing resolves into the repository's
# node_modules), its package.json pointed at the tarball, `npm install`, then its own e2e spec
# on SQLite and, with PG_URL set, on PostgreSQL. Each app holds one copy of Nest and TypeORM.
#
#   extend-gatehouse, nest12   its own versions: Nest 12 + Fastify, TypeORM 1.x
#   extend-gatehouse, nest11   the oldest versions the peer ranges' first majors admit:
#                              Nest 11 + Fastify, TypeORM 0.3 (.ci/example-manifest.js)
#   express-app                Nest 12 + Express, when examples/express-app exists
#
# `npm run test:examples` runs it locally (build first: npm run build); .ci/run runs it in CI.
# EXAMPLES="extend-gatehouse:nest11" runs one; PG_URL=postgres://… adds the PostgreSQL runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*"; }

test -f dist/src/index.js || { echo "dist/ is missing: npm run build first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The package as the registry would serve it (dist/ is built; prepare need not run again).
tarball="$work/$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -1)"
test -f "$tarball"

# better-sqlite3's addon for the app in the current directory: the one `npm ci` built for the
# repository when it is the same version (same source, same Node), else built here.
native_sqlite() {
  local theirs=node_modules/better-sqlite3 mine="$root/node_modules/better-sqlite3"
  [ -d "$theirs" ] || return 0
  local version
  version=$(node -p "require('./$theirs/package.json').version")
  if [ -f "$mine/build/Release/better_sqlite3.node" ] &&
    [ "$(node -p "require('$mine/package.json').version")" = "$version" ]; then
    mkdir -p "$theirs/build/Release"
    cp "$mine/build/Release/better_sqlite3.node" "$theirs/build/Release/"
  else
    npm rebuild better-sqlite3
  fi
}

# run_example <example dir> <variant: own|oldest> <label>
run_example() {
  local example=$1 variant=$2 label=$3 app="$work/$3"
  step "Example $label: fresh install from $(basename "$tarball") ($variant versions)"
  mkdir -p "$app"
  tar -C "examples/$example" --exclude ./node_modules --exclude ./dist --exclude ./data \
    --exclude ./package-lock.json --exclude ./.npmrc -cf - . | tar -C "$app" -xf -
  node .ci/example-manifest.js "$app/package.json" package.json "$tarball" "$variant"
  (
    cd "$app"
    # No install scripts: the example's prepare would build what pretest builds, and
    # better-sqlite3's would compile SQLite again (no prebuilt binary can be downloaded here).
    npm install --prefer-offline --no-audit --no-fund --ignore-scripts
    native_sqlite
    # One Nest and one TypeORM for the app and Gatehouse: a second copy has its own container
    # and its own DataSource class, and Gatehouse's modules would not be the app's.
    for shared in @nestjs/core @nestjs/common typeorm; do
      local copies
      copies=$(find node_modules -path "*node_modules/$shared/package.json" | wc -l)
      echo "$shared: $copies copy ($(node -p "require('./node_modules/$shared/package.json').version"))"
      [ "$copies" = 1 ] || {
        echo "expected one copy of $shared in $label, found $copies:" >&2
        find node_modules -path "*node_modules/$shared/package.json" >&2
        exit 1
      }
    done
    step "Example $label on SQLite"
    (unset DATABASE_URL; npm test)
    if [ -n "${PG_URL:-}" ]; then
      step "Example $label on PostgreSQL"
      DATABASE_URL=$PG_URL npm test
    fi
  )
  rm -rf "$app"
}

wanted=${EXAMPLES:-extend-gatehouse:nest12 extend-gatehouse:nest11 express-app:nest12}
ran=0
for entry in $wanted; do
  example=${entry%%:*} flavour=${entry##*:}
  if [ ! -d "examples/$example" ]; then
    echo "examples/$example does not exist in this tree: skipped"
    continue
  fi
  case $flavour in
    nest12) run_example "$example" own "$example-nest12" ;;
    nest11) run_example "$example" oldest "$example-nest11" ;;
    *) echo "unknown flavour $flavour in $entry" >&2; exit 2 ;;
  esac
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "no example ran" >&2; exit 1; }
echo "examples: $ran passed"
