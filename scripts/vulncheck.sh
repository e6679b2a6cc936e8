#!/usr/bin/env bash
# govulncheck over every package, against Go's vulnerability database as published in the
# golang.org/x/vulndb module, fetched through the Go module proxy (this repository's
# machines reach the proxy but not vuln.go.dev). The snapshot is pinned, so a run is
# reproducible; move VULNDB_VERSION forward to check against newer reports.
#
#   scripts/vulncheck.sh             check ./... (make lint runs it)
#   VULNDB_VERSION=v0.0.0-… scripts/vulncheck.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}

# The module holds the reports as OSV files; govulncheck reads a database laid out with
# an index, which the module's own indexdb command writes. Built once per snapshot.
db="$(go env GOCACHE)/followup-vulndb/$VULNDB_VERSION"
if [ ! -f "$db/index/db.json" ]; then
	echo "vulncheck.sh: building the vulnerability database $VULNDB_VERSION" >&2
	src=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src/data/osv" ] || { echo "vulncheck.sh: no data/osv in golang.org/x/vulndb@$VULNDB_VERSION" >&2; exit 1; }
	rm -rf "$db.tmp"
	go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$db.tmp"
	rm -rf "$db"
	mv "$db.tmp" "$db"
fi
echo "==> govulncheck $GOVULNCHECK_VERSION ./... (database golang.org/x/vulndb@$VULNDB_VERSION)"
go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$db" ./...
