#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for medvault's tests, as a plain process on 127.0.0.1 (no Docker).
# Usage: scripts/postgres.sh start|stop|status
#
#   start   (idempotent) initdb in a fresh temporary directory (trust authentication, UTF8), owned by an
#           unprivileged user (initdb and pg_ctl refuse root: as root the cluster runs as `postgres`),
#           pg_ctl on a free port (or POSTGRES_PORT) with its socket in that directory; creates the role
#           and database `medvault` (the role may create databases: the unit tests make one per test);
#           writes .postgres/postgres.env (`export DATABASE_URL=postgres://medvault@127.0.0.1:PORT/medvault
#           ?sslmode=disable` and the same URL as MEDVAULT_TEST_DATABASE_URL) and prints its path.
#           A server that already runs and answers is kept.
#   stop    pg_ctl stop (fast), removes the temporary directory and the state files.
#   status  says whether the server runs, on which port, and whether it answers.
# State (data directory path, port, env file, log) lives in .postgres/ (gitignored).
# The cluster trades durability for speed (fsync off): it holds test data only.
# Env: POSTGRES_PORT, POSTGRES_BIN_DIR (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.postgres"
ENV_FILE="$STATE/postgres.env"

say() { echo "postgres: $*"; }
die() { echo "postgres: ERROR: $*" >&2; exit 1; }

bin_dir() {
    if [[ -n ${POSTGRES_BIN_DIR:-} ]]; then
        echo "$POSTGRES_BIN_DIR"
        return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $dir && -x $dir/pg_ctl ]] || die "no PostgreSQL server binaries (install Debian's postgresql)"
    echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The data directory of the recorded cluster, if its postmaster is alive.
running_cluster() {
    local cluster
    [[ -f $STATE/cluster ]] || return 1
    cluster=$(<"$STATE/cluster")
    [[ -d $cluster/data ]] || return 1
    as_owner "$(bin_dir)/pg_ctl" -D "$cluster/data" status >/dev/null 2>&1 || return 1
    echo "$cluster"
}

answers() {
    local cluster=$1 port=$2
    "$(bin_dir)/pg_isready" -q -h "$cluster" -p "$port" -d medvault -U medvault
}

write_env() {
    local port=$1 url
    url="postgres://medvault@127.0.0.1:$port/medvault?sslmode=disable"
    printf 'export DATABASE_URL=%s\nexport MEDVAULT_TEST_DATABASE_URL=%s\n' "$url" "$url" >"$ENV_FILE"
}

stop_cluster() {
    local cluster
    [[ -f $STATE/cluster ]] || { say "not running"; rm -f "$STATE/port" "$ENV_FILE"; return 0; }
    cluster=$(<"$STATE/cluster")
    if [[ -d $cluster/data ]]; then
        as_owner "$(bin_dir)/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
        say "stopped (cluster in $cluster)"
    fi
    # Only a directory this script made (mktemp's pattern below) is removed.
    [[ $cluster == /tmp/medvault-postgres.* ]] && rm -rf -- "$cluster"
    rm -f "$STATE/cluster" "$STATE/port" "$ENV_FILE"
}

start_cluster() {
    local bin cluster port
    bin=$(bin_dir)
    if cluster=$(running_cluster); then
        port=$(<"$STATE/port")
        if answers "$cluster" "$port"; then
            say "already running (port $port, cluster $cluster)"
            write_env "$port"
            echo "$ENV_FILE"
            return 0
        fi
        say "server in $cluster does not answer: restarting"
    fi
    stop_cluster >/dev/null
    if [[ $(id -u) == 0 ]] && ! id postgres >/dev/null 2>&1; then
        die "running as root, but there is no unprivileged 'postgres' user to own the cluster"
    fi
    cluster=$(mktemp -d /tmp/medvault-postgres.XXXXXX)
    echo "$cluster" >"$STATE/cluster"
    [[ $(id -u) == 0 ]] && chown postgres: "$cluster"
    chmod 700 "$cluster"
    port=${POSTGRES_PORT:-$(free_port)}
    echo "$port" >"$STATE/port"
    as_owner "$bin/initdb" -D "$cluster/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
        || { tail -n 20 "$STATE/initdb.log" >&2; die "initdb failed"; }
    if ! as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
        -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null 9>&-; then
        tail -n 30 "$cluster/server.log" >&2 || true
        die "pg_ctl could not start the server on port $port"
    fi
    as_owner "$bin/psql" -q -h "$cluster" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE medvault LOGIN CREATEDB" -c "CREATE DATABASE medvault OWNER medvault" >/dev/null
    answers "$cluster" "$port" || die "the server does not answer on port $port"
    write_env "$port"
    say "started (port $port, cluster $cluster, log $cluster/server.log)"
    echo "$ENV_FILE"
}

status_cluster() {
    local cluster port
    if cluster=$(running_cluster); then
        port=$(<"$STATE/port")
        if answers "$cluster" "$port"; then
            say "running: port $port, cluster $cluster, env $ENV_FILE"
        else
            say "server in $cluster alive but not answering on port $port"
            return 1
        fi
    else
        say "not running"
        return 1
    fi
}

mkdir -p "$STATE"
[[ -f $STATE/.gitignore ]] || echo '*' >"$STATE/.gitignore"
exec 9>"$STATE/.lock" # the server is started with 9>&- so it never holds this lock
command=${1:-status}
[[ $command == status ]] || flock -w 300 9 || die "another postgres.sh holds $STATE/.lock"

case $command in
start) start_cluster ;;
stop) stop_cluster ;;
status) status_cluster ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
