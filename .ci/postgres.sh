#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and prints its DATABASE_URL on the last line.
# Installs PostgreSQL from Debian's packages when no server binary is present. The cluster lives in
# $PGCI_DIR (default /tmp/appointflow-ci-pg), listens on 127.0.0.1:$PGCI_PORT (default 55432), trusts
# local connections, and is owned by the `postgres` system user (the server refuses to run as root).
#   .ci/postgres.sh start | stop
set -euo pipefail
PGCI_DIR=${PGCI_DIR:-/tmp/appointflow-ci-pg}
PGCI_PORT=${PGCI_PORT:-55432}
URL="postgres://appointflow@127.0.0.1:${PGCI_PORT}/appointflow"

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    BIN=$(find_bin)
    if [ -z "$BIN" ] || [ ! -x "$BIN/postgres" ]; then
      echo "installing PostgreSQL from Debian's packages" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
      BIN=$(find_bin)
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --home-dir /var/lib/postgresql postgres; fi
    if [ -f "$PGCI_DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" status -D "$PGCI_DIR/data" >/dev/null 2>&1; then
      echo "PostgreSQL already running in $PGCI_DIR" >&2
    else
      rm -rf "$PGCI_DIR"
      mkdir -p "$PGCI_DIR"
      [ "$(id -u)" = 0 ] && chown postgres: "$PGCI_DIR"
      as_owner "$BIN/initdb" -D "$PGCI_DIR/data" -U appointflow --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      as_owner "$BIN/pg_ctl" -D "$PGCI_DIR/data" -l "$PGCI_DIR/server.log" -w -t 60 \
        -o "-p ${PGCI_PORT} -k ${PGCI_DIR} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >&2
      as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PGCI_PORT" -U appointflow appointflow
    fi
    echo "$URL"
    ;;
  stop)
    BIN=$(find_bin)
    [ -n "$BIN" ] && as_owner "$BIN/pg_ctl" -D "$PGCI_DIR/data" -m fast stop >&2 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
