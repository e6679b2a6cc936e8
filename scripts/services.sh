#!/usr/bin/env bash
# Real PostgreSQL and Redis for the tests and for `make run`, from the distribution's packages:
# no Docker, no mocks.
#
#   services.sh ensure [browser]  install postgresql and redis-server (and gcc, which go test -race
#                                 needs) with apt-get when they are missing; with `browser`, also
#                                 Debian's chromium, for the sandbox page's browser tests
#   services.sh start DIR [PID]   start throw-away servers in DIR (fast, unsafe settings, or with
#                                 SERVICES_DURABLE=1 Postgres's durable defaults) and print
#                                 `export DATABASE_URL=...` / `export REDIS_URL=...`; with PID, a
#                                 watcher stops them and removes DIR once that process is gone, so
#                                 a killed test run leaves nothing behind
#   services.sh stop DIR          stop the servers in DIR and remove DIR (a no-op if it is gone)
#   services.sh pg-restart DIR    restart the PostgreSQL of DIR as an operator would (fast
#                                 shutdown: sessions are cut, open transactions roll back), on
#                                 the same port; fault tests use it
#   services.sh with-test CMD...  run CMD with DATABASE_URL and REDIS_URL set: those of the
#                                 environment, or throw-away servers stopped when CMD ends
#   services.sh dev               start (or reuse) the project's persistent servers in .data/ on
#                                 ports 54329 and 63799 (others if taken); print the export lines
#   services.sh dev-stop          stop them; the data stays in .data/
#   services.sh with-dev CMD...   run CMD with the environment's URLs, or the dev servers'
#
# PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
# Progress goes to stderr; stdout carries only the export lines.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
SELF="$ROOT/scripts/services.sh"
MARKER=.followup-services # written by start: stop removes only directories that carry it
DEV_PG_PORT=54329
DEV_REDIS_PORT=63799

log() { echo "services.sh: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }
now_ms() { date +%s%3N; }

# find_pg sets PG_BIN to a directory holding initdb, pg_ctl, postgres and psql: $PG_BINDIR if set,
# else the newest /usr/lib/postgresql/<version>/bin, else the directory of initdb on PATH.
find_pg() {
	local d
	PG_BIN=
	for d in ${PG_BINDIR:+"$PG_BINDIR"} $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV) \
		"$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && [ -x "$d/psql" ]; then
			PG_BIN=$d
			return 0
		fi
	done
	return 1
}

# find_redis sets REDIS_SERVER and REDIS_CLI.
find_redis() {
	REDIS_SERVER=$(command -v redis-server 2>/dev/null || echo /usr/bin/redis-server)
	REDIS_CLI=$(command -v redis-cli 2>/dev/null || echo /usr/bin/redis-cli)
	[ -x "$REDIS_SERVER" ] && [ -x "$REDIS_CLI" ]
}

require_binaries() {
	find_pg || die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; run: scripts/services.sh ensure"
	find_redis || die "redis-server or redis-cli not found; run: scripts/services.sh ensure"
	if is_root && ! id postgres >/dev/null 2>&1; then
		die "running as root but there is no 'postgres' user to run PostgreSQL as; run: scripts/services.sh ensure"
	fi
}

cmd_ensure() {
	local pkgs=()
	if ! find_pg || { is_root && ! id postgres >/dev/null 2>&1; }; then pkgs+=(postgresql); fi
	find_redis || pkgs+=(redis-server)
	# go test -race needs cgo, and cgo needs a C compiler.
	command -v "${CC:-gcc}" >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
	if [ "${1:-}" = browser ] && ! command -v chromium >/dev/null 2>&1; then pkgs+=(chromium); fi
	[ ${#pkgs[@]} -gt 0 ] || return 0

	local sudo=()
	if ! is_root; then
		command -v sudo >/dev/null 2>&1 || die "missing ${pkgs[*]}: install them as root (apt-get install ${pkgs[*]})"
		sudo=(sudo)
	fi
	command -v apt-get >/dev/null 2>&1 || die "missing ${pkgs[*]} and no apt-get to install them with"
	log "installing ${pkgs[*]} with apt-get"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2
	require_binaries
}

# as_pg runs a command as the user PostgreSQL runs as: `postgres` when we are root, else ourselves.
# It runs from / because `postgres` may not be allowed into the current directory.
as_pg() {
	if is_root; then
		if command -v runuser >/dev/null 2>&1; then
			(cd / && runuser -u postgres -- "$@")
		else
			(cd / && setpriv --reuid=postgres --regid=postgres --init-groups -- "$@")
		fi
	else
		(cd / && "$@")
	fi
}

# alive PID: is the process running? A zombie is not: here nobody may reap daemons for a while.
alive() {
	local state
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port prints $1 when it is free, else a random free port.
free_port() {
	local p=${1:-}
	while [ -z "$p" ] || port_in_use "$p"; do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
	done
	echo "$p"
}

# pg_datadir DIR ALT_PARENT prints the PostgreSQL data directory for DIR: DIR/postgres, owned by
# the user PostgreSQL runs as. When that user cannot reach DIR (root working under a private home,
# say), the data lives in a fresh directory under ALT_PARENT and DIR/postgres is a symlink to it.
pg_datadir() {
	local dir=$1 alt_parent=$2 link="$1/postgres" data
	if [ -L "$link" ] || [ -d "$link" ]; then
		readlink -f "$link"
		return
	fi
	mkdir -p "$link"
	chmod 700 "$link"
	if is_root; then
		chown postgres: "$link"
		if ! as_pg test -w "$link"; then
			rmdir "$link"
			mkdir -p "$alt_parent"
			data=$(mktemp -d "$alt_parent/followup-pg.XXXXXX")
			chown postgres: "$data"
			chmod 700 "$data"
			ln -s "$data" "$link"
			as_pg test -w "$data" || die "the postgres user can reach neither $dir nor $data"
			log "the postgres user cannot reach $dir: PostgreSQL data is in $data"
		fi
	fi
	readlink -f "$link"
}

pg_initdb() {
	local data=$1 locale=C out
	[ -f "$data/PG_VERSION" ] && return 0
	if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then locale=C.UTF-8; fi
	if ! out=$(as_pg "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale="$locale" --no-sync 2>&1); then
		echo "$out" >&2
		die "initdb failed"
	fi
}

# pg_start DATA PORT [SETTINGS...] starts PostgreSQL on 127.0.0.1:PORT, trying other ports while
# PORT turns out to be taken; it prints the port it got.
pg_start() {
	local data=$1 port=$2 attempt sockdir opts out
	shift 2
	sockdir=$data
	# A unix socket path may be at most 107 bytes; clients here use TCP anyway.
	[ ${#sockdir} -le 80 ] || sockdir=
	for attempt in 1 2 3 4 5 6 7 8 9 10; do
		opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$sockdir' $*"
		rm -f "$data/server.log" # pg_ctl creates it as the server's user
		# 9>&-: the server must not inherit the lock that cmd_dev holds.
		if out=$(as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -o "$opts" -w -t 60 start 2>&1 9>&-); then
			echo "$port"
			return 0
		fi
		if grep -qiE 'could not (bind|create any TCP)|address already in use' "$data/server.log"; then
			port=$(free_port)
			continue
		fi
		echo "$out" >&2
		tail -n 20 "$data/server.log" >&2 || true
		die "PostgreSQL did not start (output above)"
	done
	die "PostgreSQL found no free port"
}

pg_running_port() {
	local data=$1
	as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1 || return 1
	sed -n 4p "$data/postmaster.pid"
}

pg_stop() {
	local data=$1 mode=$2 pid
	[ -f "$data/postmaster.pid" ] || return 0
	as_pg "$PG_BIN/pg_ctl" -D "$data" stop -m "$mode" -w -t 60 >/dev/null 2>&1 || true
	pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
	if [ -n "$pid" ] && alive "$pid"; then
		log "PostgreSQL $pid did not stop: killing it"
		kill -9 "$pid" 2>/dev/null || true
	fi
}

# redis_ours PORT DIR: is the Redis answering on PORT the one whose working directory is DIR?
redis_ours() {
	[ "$("$REDIS_CLI" -h 127.0.0.1 -p "$1" --raw config get dir 2>/dev/null | sed -n 2p)" = "$2" ]
}

# redis_start DIR PORT [OPTIONS...] starts a daemonized Redis working in DIR, trying other ports
# while PORT turns out to be taken; it prints the port it got.
redis_start() {
	local dir=$1 port=$2 attempt i
	shift 2
	for attempt in 1 2 3 4 5 6 7 8 9 10; do
		: >"$dir/redis.log"
		"$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
			--pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "$@" >/dev/null 9>&-
		for i in $(seq 100); do
			if redis_ours "$port" "$dir"; then
				echo "$port" >"$dir/redis.port"
				echo "$port"
				return 0
			fi
			grep -qiE 'address already in use|could not create server tcp' "$dir/redis.log" && break
			sleep 0.05
		done
		if grep -qiE 'address already in use|could not create server tcp' "$dir/redis.log"; then
			port=$(free_port)
			continue
		fi
		tail -n 20 "$dir/redis.log" >&2 || true
		die "Redis did not start (log above)"
	done
	die "Redis found no free port"
}

redis_stop() {
	local dir=$1 pid i
	pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 100); do
		alive "$pid" || return 0
		sleep 0.05
	done
	log "Redis $pid did not stop: killing it"
	kill -9 "$pid" 2>/dev/null || true
}

print_exports() {
	printf "export DATABASE_URL='postgres://postgres@127.0.0.1:%s/%s?sslmode=disable'\n" "$1" "$2"
	printf "export REDIS_URL='redis://127.0.0.1:%s/0'\n" "$3"
}

cmd_start() {
	[ $# -ge 1 ] && [ -n "$1" ] || die "usage: services.sh start DIR [PID]"
	local dir=$1 owner=${2:-} t0 data pg_port redis_port
	require_binaries
	t0=$(now_ms)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd -P)
	touch "$dir/$MARKER"
	# mktemp makes DIR private; the postgres user needs to pass through it.
	if is_root; then chmod o+x "$dir"; fi
	# Ask for the watcher first: if start itself is interrupted, it still cleans up.
	if [ -n "$owner" ]; then
		# Its own session, so a Ctrl-C aimed at the tests does not stop it; no inherited output,
		# so whoever reads our output is not kept waiting for it.
		setsid bash "$SELF" _watch "$dir" "$owner" </dev/null >/dev/null 2>&1 &
		echo $! >"$dir/watch.pid"
	fi

	data=$(pg_datadir "$dir" /tmp)
	pg_initdb "$data"
	# Throw-away data: durability is traded for speed, unless SERVICES_DURABLE=1 asks for a
	# server that commits as production does (the benchmark's reference is measured so).
	local durability=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
	if [ "${SERVICES_DURABLE:-}" = 1 ]; then durability=(); fi
	pg_port=$(pg_start "$data" "$(free_port)" "${durability[@]}" -c max_connections=300)
	redis_port=$(redis_start "$dir" "$(free_port)" --save '' --appendonly no --databases 64)

	log "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$pg_port and" \
		"Redis $("$REDIS_SERVER" -v | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$redis_port" \
		"ready in $(($(now_ms) - t0)) ms"
	print_exports "$pg_port" postgres "$redis_port"
}

cmd_stop() {
	[ $# -ge 1 ] && [ -n "$1" ] || die "usage: services.sh stop DIR"
	local dir=$1 data pid
	[ -d "$dir" ] || return 0
	find_pg || true
	find_redis || true
	# A stop that is not the watcher's own makes the watcher redundant.
	pid=$(cat "$dir/watch.pid" 2>/dev/null || true)
	if [ -n "$pid" ] && [ "$pid" != $$ ]; then kill -- "-$pid" 2>/dev/null || true; fi
	redis_stop "$dir"
	if [ -e "$dir/postgres" ]; then
		data=$(readlink -f "$dir/postgres")
		[ -n "${PG_BIN:-}" ] && pg_stop "$data" immediate
		if [ -L "$dir/postgres" ] && [ -f "$dir/$MARKER" ]; then rm -rf "$data"; fi
	fi
	if [ -f "$dir/$MARKER" ]; then rm -rf "$dir"; fi
}

cmd_pg_restart() {
	[ $# -ge 1 ] && [ -e "$1/postgres" ] || die "usage: services.sh pg-restart DIR (a DIR that start made)"
	require_binaries
	local data
	data=$(readlink -f "$1/postgres")
	# restart starts it again with the options it was started with (postmaster.opts).
	as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" restart -m fast -w -t 60 >/dev/null 9>&- ||
		die "PostgreSQL in $1 did not restart"
}

# _watch DIR PID (internal): stop the servers in DIR once process PID is gone.
cmd_watch() {
	cd /
	while alive "$2"; do sleep 1; done
	cmd_stop "$1"
}

cmd_with_test() {
	[ $# -ge 1 ] || die "usage: services.sh with-test CMD [ARGS...]"
	if [ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ]; then
		log "using DATABASE_URL and REDIS_URL from the environment"
		exec "$@"
	fi
	local db=${DATABASE_URL:-} rd=${REDIS_URL:-} exports rc=0
	TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/followup-test.XXXXXX")
	trap 'cmd_stop "$TEST_DIR"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	exports=$(cmd_start "$TEST_DIR" $$)
	eval "$exports"
	# A URL the caller gave wins over the throw-away server's.
	if [ -n "$db" ]; then export DATABASE_URL=$db; fi
	if [ -n "$rd" ]; then export REDIS_URL=$rd; fi
	"$@" || rc=$?
	cmd_stop "$TEST_DIR"
	trap - EXIT
	log "stopped the throw-away servers"
	exit "$rc"
}

cmd_dev() {
	local dir="$ROOT/.data" data pg_port redis_port alt
	require_binaries
	mkdir -p "$dir"
	# Two `make run`s at once must not both start servers.
	exec 9>"$dir/.lock"
	flock 9

	# If the postgres user cannot reach the work tree, the data lives in its home instead.
	alt="$(getent passwd postgres 2>/dev/null | cut -d: -f6)"
	alt="${alt:-/var/tmp}/followup-dev-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"
	data=$(pg_datadir "$dir" "$alt")
	pg_initdb "$data"
	if pg_port=$(pg_running_port "$data"); then
		log "reusing PostgreSQL on 127.0.0.1:$pg_port"
	else
		pg_port=$(free_port "$DEV_PG_PORT")
		[ "$pg_port" = "$DEV_PG_PORT" ] || log "port $DEV_PG_PORT is taken: PostgreSQL gets $pg_port"
		pg_port=$(pg_start "$data" "$pg_port")
		log "started PostgreSQL on 127.0.0.1:$pg_port (data in .data/postgres)"
	fi
	local psql=("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres)
	if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'followup'")" ]; then
		"${psql[@]}" -c 'CREATE DATABASE followup' >&2
	fi

	mkdir -p "$dir/redis"
	redis_port=$(cat "$dir/redis/redis.port" 2>/dev/null || true)
	if [ -n "$redis_port" ] && redis_ours "$redis_port" "$dir/redis"; then
		log "reusing Redis on 127.0.0.1:$redis_port"
	else
		redis_port=$(free_port "$DEV_REDIS_PORT")
		[ "$redis_port" = "$DEV_REDIS_PORT" ] || log "port $DEV_REDIS_PORT is taken: Redis gets $redis_port"
		redis_port=$(redis_start "$dir/redis" "$redis_port" --save 60 1 --appendonly no)
		log "started Redis on 127.0.0.1:$redis_port (data in .data/redis)"
	fi
	print_exports "$pg_port" followup "$redis_port"
}

cmd_dev_stop() {
	local dir="$ROOT/.data"
	[ -d "$dir" ] || return 0
	find_pg || true
	find_redis || true
	redis_stop "$dir/redis"
	if [ -e "$dir/postgres" ] && [ -n "${PG_BIN:-}" ]; then pg_stop "$(readlink -f "$dir/postgres")" fast; fi
	log "stopped the dev servers (data kept in .data/)"
}

cmd_with_dev() {
	[ $# -ge 1 ] || die "usage: services.sh with-dev CMD [ARGS...]"
	local db=${DATABASE_URL:-} rd=${REDIS_URL:-} exports
	if [ -z "$db" ] || [ -z "$rd" ]; then
		exports=$(cmd_dev)
		eval "$exports"
		if [ -n "$db" ]; then export DATABASE_URL=$db; fi
		if [ -n "$rd" ]; then export REDIS_URL=$rd; fi
	fi
	exec "$@"
}

main() {
	local cmd=${1:-}
	shift || true
	case "$cmd" in
	ensure) cmd_ensure "$@" ;;
	start) cmd_start "$@" ;;
	stop) cmd_stop "$@" ;;
	pg-restart) cmd_pg_restart "$@" ;;
	_watch) cmd_watch "$@" ;;
	with-test) cmd_with_test "$@" ;;
	dev) cmd_dev "$@" ;;
	dev-stop) cmd_dev_stop "$@" ;;
	with-dev) cmd_with_dev "$@" ;;
	*) die "usage: services.sh ensure | start DIR [PID] | stop DIR | pg-restart DIR | with-test CMD... | dev | dev-stop | with-dev CMD..." ;;
	esac
}

main "$@"
