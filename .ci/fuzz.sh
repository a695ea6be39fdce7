#!/usr/bin/env bash
# The adversarial fuzz run (issue 12): schemathesis (pinned, from PyPI, in a venv made here) against the
# OpenAPI document the running server serves, unauthenticated, with the demo API key and with a staff
# session, within a time budget (FUZZ_SECONDS in all, default 210). Fails on a server error (5xx), an
# undocumented status code, a response that violates its schema, or a server that is no longer alive.
# Prints the figures (requests, failures) at the end. Usage: bash .ci/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
budget=${FUZZ_SECONDS:-210}
work=$(mktemp -d)
venv=${FUZZ_VENV:-$HOME/.cache/appointflow/schemathesis-$SCHEMATHESIS_VERSION}

if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
base="http://127.0.0.1:$port"

# The whole system on embedded defaults (PGlite in a scratch directory, a local Temporal dev server on
# free ports), rate limits off so the fuzzer explores rather than collects 429s.
env -u DATABASE_URL PORT="$port" DATA_DIR="$work/data" TEMPORAL_DEV_SERVER_PORT="$(free_port)" \
  TEMPORAL_UI_PORT="$(free_port)" RATE_LIMITS=off LOG_LEVEL=warn \
  node --import tsx src/main.ts >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill -INT "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  # The reports stay for a look at any failure (FUZZ_KEEP=dir).
  if [ -n "${FUZZ_KEEP:-}" ]; then rm -rf "$FUZZ_KEEP" && cp -r "$work" "$FUZZ_KEEP"; fi
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 180); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; echo "the server did not start"; exit 1; }
  sleep 1
done
curl -fsS "$base/readyz" >/dev/null || { tail -50 "$work/server.log"; echo "the server is not ready"; exit 1; }

api_key=$(cat "$work/data/demo-api-key.txt")
signin=$(curl -fsS -c "$work/cookies" -H 'content-type: application/json' \
  -d '{"email":"admin@maplestreet.example","password":"maple-street-admin"}' "$base/api/session")
csrf=$(node -e 'console.log(JSON.parse(process.argv[1]).csrfToken)' "$signin")
session=$(awk '$6 == "af_session" { print $7 }' "$work/cookies")

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
run() { # name, then extra schemathesis arguments
  local name=$1
  shift
  echo "--- schemathesis: $name"
  set +e
  # From the scratch directory: schemathesis keeps a cache (.schemathesis/) where it runs. One worker:
  # hypothesis parses lambdas with Python's ast, which is not thread-safe on Python 3.11 ("AST
  # constructor recursion depth mismatch" with more workers).
  (cd "$work" && "$venv/bin/st" run "$base/api/openapi.json" --checks "$checks" --max-time $((budget / 3)) --workers 1 \
    --phases examples,coverage,fuzzing --suppress-health-check all --request-timeout 20 \
    --report ndjson --report-dir "$work/report-$name" "$@" ${FUZZ_ARGS:-}) 2>&1 | tee "$work/$name.out" | tail -40
  local code=${PIPESTATUS[0]}
  set -e
  echo "$name: exit $code"
  # Which operations failed and how to reproduce them (the summary above does not name them).
  grep -A4 -E '^_{5,} [A-Z]+ ' "$work/$name.out" | grep -vE '^\s*$' | head -60 || true
  # And what the server logged as errors (a 500's stack names its cause; the work directory is removed).
  grep '"level":50' "$work/server.log" | tail -5 | cut -c1-1500 || true
  echo "$code" >"$work/$name.code"
}
run anonymous
run api-key -H "Authorization: Bearer $api_key"
# Not DELETE /api/session: signing the fuzzer's own session out would leave nothing to test.
run session -H "Cookie: af_session=$session" -H "x-csrf-token: $csrf" --exclude-method DELETE --exclude-path /api/session

alive=yes
curl -fsS "$base/healthz" >/dev/null || alive=no
kill -0 "$server" 2>/dev/null || alive=no

node - "$work" <<'NODE'
const { readFileSync, readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const work = process.argv[2];
let requests = 0;
let failures = 0;
for (const name of ['anonymous', 'api-key', 'session']) {
  const dir = join(work, `report-${name}`);
  let runRequests = 0;
  let runFailures = 0;
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const text = line;
        runRequests += (text.match(/"request":\{/g) ?? []).length;
        runFailures += (text.match(/"failure_info":\{/g) ?? []).length;
      }
    }
  }
  console.log(`fuzz ${name}: ${runRequests} requests, ${runFailures} failures`);
  requests += runRequests;
  failures += runFailures;
}
console.log(`fuzz total: ${requests} requests, ${failures} failures`);
NODE
codes=$(cat "$work"/*.code | tr '\n' ' ')
echo "schemathesis exit codes: $codes; server alive afterwards: $alive"
[ "$alive" = yes ] || { tail -50 "$work/server.log"; exit 1; }
for code in $codes; do [ "$code" = 0 ] || exit 1; done
