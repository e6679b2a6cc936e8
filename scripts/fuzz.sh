#!/usr/bin/env bash
# Bounded fuzzing of the domain parsers, for CI and `make test`.
#
#   scripts/fuzz.sh                   run every Fuzz* target of the root package on 20,000 inputs each
#   FUZZTIME=500000x scripts/fuzz.sh  fuzz longer (any go test -fuzztime value; a count avoids a
#                                     Go 1.26 race at a duration's deadline, golang/go#75804)
#
# go test -fuzz takes one target per run, so each target gets its own invocation. A
# failure stops the script with go test's exit status; the input that broke the target
# is written to testdata/fuzz/<target>/, where plain `go test` replays it from then on.
# Minimising a failing input is bounded too (FUZZMINIMIZETIME, default 5s), so a
# failure is reported quickly rather than after go test's default minute.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

fuzztime=${FUZZTIME:-20000x}
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
