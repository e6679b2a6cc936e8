#!/usr/bin/env bash
# Bounded fuzzing of the parsers, for CI and `make test`.
#
#   scripts/fuzz.sh                   run every Fuzz* target of the fuzzed packages on its budget
#   FUZZTIME=500000x scripts/fuzz.sh  fuzz every target longer (any go test -fuzztime value; a
#                                     count avoids a Go 1.26 race at a duration's deadline,
#                                     golang/go#75804)
#
# The fuzzed packages are the root package (the domain's parsers: due dates, quick logs,
# messages, sheet rows) and sheet (the CSV reader), 20,000 inputs a target, and bot (signed
# slash commands, interactivity payloads and Events API bodies sent to the real handlers
# on real Postgres and Redis, so a few thousand inputs a target). go test -fuzz takes one target of one
# package per run, so each target gets its own invocation. A failure stops the script with
# go test's exit status; the input that broke the target is written to the package's
# testdata/fuzz/<target>/, where plain `go test` replays it from then on. Minimising a
# failing input is bounded too (FUZZMINIMIZETIME, default 5s), so a failure is reported
# quickly rather than after go test's default minute.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

minimizetime=${FUZZMINIMIZETIME:-5s}
# package:budget; FUZZTIME, when set, is every target's budget.
packages=(.:20000x ./sheet:20000x ./bot:3000x)

count=0
for entry in "${packages[@]}"; do
	pkg=${entry%%:*}
	fuzztime=${FUZZTIME:-${entry#*:}}
	mapfile -t targets < <(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	if [ ${#targets[@]} -eq 0 ]; then
		echo "fuzz.sh: no Fuzz targets found in $pkg" >&2
		exit 1
	fi
	for target in "${targets[@]}"; do
		echo "==> go test -run='^\$' -fuzz='^${target}\$' -fuzztime=${fuzztime} -fuzzminimizetime=${minimizetime} ${pkg}"
		go test -run='^$' -fuzz="^${target}\$" -fuzztime="${fuzztime}" -fuzzminimizetime="${minimizetime}" "$pkg"
		count=$((count + 1))
	done
done
echo "fuzz.sh: ${count} targets fuzzed, no failures"
