#!/usr/bin/env bash
# Bounded fuzzing of the domain parsers, for CI and `make test`.
#
#   scripts/fuzz.sh               run every Fuzz* target of the root package for 5 s each
#   FUZZTIME=30s scripts/fuzz.sh  fuzz longer (any go test -fuzztime value: 30s, 1m, 10000x)
#
# go test -fuzz takes one target per run, so each target gets its own invocation. A
# failure stops the script with go test's exit status; the input that broke the target
# is written to testdata/fuzz/<target>/, where plain `go test` replays it from then on.
# Minimising a failing input is bounded too (FUZZMINIMIZETIME, default 5s), so a
# failure is reported quickly rather than after go test's default minute.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

fuzztime=${FUZZTIME:-5s}
minimizetime=${FUZZMINIMIZETIME:-5s}

mapfile -t targets < <(go test -list '^Fuzz' . | grep '^Fuzz')
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz.sh: no Fuzz targets found" >&2
	exit 1
fi

for target in "${targets[@]}"; do
	echo "==> go test -run='^\$' -fuzz='^${target}\$' -fuzztime=${fuzztime} -fuzzminimizetime=${minimizetime} ."
	go test -run='^$' -fuzz="^${target}\$" -fuzztime="${fuzztime}" -fuzzminimizetime="${minimizetime}" .
done
echo "fuzz.sh: ${#targets[@]} targets fuzzed for ${fuzztime} each, no failures"
