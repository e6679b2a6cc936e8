#!/usr/bin/env bash
# The performance benchmark of BENCHMARKS.md: seeds a realistic team, drives the real bot
# (bin/followup serve, built as make build builds it, in a process of its own) with signed
# slash commands, times the scheduler and the digest, and runs pgbench as the reference, on
# throw-away Postgres and Redis (scripts/services.sh with-test) that commit durably, as
# production does; then prints one table against DESIGN §4.
#
#   scripts/bench.sh                 the full run (1M follow-ups; under 3 minutes on 2 cores)
#   BENCH_SMALL=1 scripts/bench.sh   the small preset, a smoke run (about a minute)
#   scripts/bench.sh -duration 30s   any followup-bench flag (go run ./cmd/followup-bench -h)
#
# With DATABASE_URL and REDIS_URL set, those servers are used instead: the benchmark drops
# and recreates its own database (followup_bench) there and writes followup-bench: keys.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/services.sh ensure
make --no-print-directory build >&2

bin=$(mktemp -d "${TMPDIR:-/tmp}/followup-bench.XXXXXX")
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/followup-bench" ./cmd/followup-bench

args=(-bot "$PWD/bin/followup")
if [ -n "${BENCH_SMALL:-}" ]; then args+=(-small); fi

echo "==> machine: $(nproc) cores, $(free -m | awk '/^Mem:/ {print $2}') MB memory, $(go version | cut -d' ' -f3-)" >&2
SERVICES_DURABLE=1 bash scripts/services.sh with-test "$bin/followup-bench" "${args[@]}" "$@" all
