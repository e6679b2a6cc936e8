# make run    runs the bot, on project-local Postgres and Redis (in .data/) unless DATABASE_URL
#             and REDIS_URL are set
# make test   runs every test on real Postgres and Redis: throw-away servers unless DATABASE_URL
#             and REDIS_URL are set; the sandbox page's tests in headless chromium
# Both install the PostgreSQL and Redis packages first when they are missing (scripts/services.sh).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

# Go 1.27.3, fetched by the go command through the module proxy on first use: Go 1.26.8's
# standard library has vulnerabilities govulncheck reports (net/http, crypto/tls, fixed in
# later releases). The Dockerfile builds with the same release.
export GOTOOLCHAIN := go1.27.3

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# The Dockerfile builds with the same flags.
LDFLAGS := -s -w -X main.version=$(VERSION)
SERVICES := bash scripts/services.sh
# How long each fuzz target runs in make test, as a count of inputs: empty leaves each
# package its budget in scripts/fuzz.sh (20,000 inputs for the parsers, 3,000 for the bot's
# handlers on real Postgres). A duration (3s) would race Go 1.26's fuzz coordinator at its
# deadline (golang/go#75804). Longer runs: make test FUZZTIME=2000000x.
FUZZTIME ?=

.PHONY: all run test build lint migrate services services-stop clean bench

all: lint test build

run:
	@$(SERVICES) ensure
	@echo "==> go run ./cmd/followup serve (Postgres and Redis: DATABASE_URL/REDIS_URL, else the dev servers in .data/)"
	@$(SERVICES) with-dev go run ./cmd/followup serve

# The sandbox page's browser tests run in Debian's headless chromium, which ensure installs; here
# a missing browser fails them instead of skipping them. Their screenshots land in .artifacts/.
test:
	@$(SERVICES) ensure browser
	@echo "==> go test -race -count=1 ./... (Postgres and Redis: DATABASE_URL/REDIS_URL, else throw-away servers)"
	@FOLLOWUP_REQUIRE_BROWSER=1 $(SERVICES) with-test go test -race -count=1 ./...
	@echo "==> bounded fuzzing of the parsers and the Slack handlers (scripts/fuzz.sh)"
	@FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o bin/followup ./cmd/followup

lint:
	go vet ./...
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	@bash scripts/vulncheck.sh

# Applies the migrations to DATABASE_URL, else to the dev database.
migrate:
	@$(SERVICES) ensure
	@$(SERVICES) with-dev go run ./cmd/followup migrate

# Starts the dev servers (as make run does) and prints their URLs.
services:
	@$(SERVICES) ensure
	@$(SERVICES) dev

# Stops the dev servers; their data stays in .data/.
services-stop:
	@$(SERVICES) dev-stop

# The performance benchmark (BENCHMARKS.md) on throw-away servers: a table against DESIGN §4.
# BENCH_SMALL=1 make bench is a quick smoke run on the small preset.
bench:
	@bash scripts/bench.sh

# Removes build output; `make services-stop && rm -rf .data` also drops the dev data.
clean:
	rm -rf bin coverage.out coverage.html
