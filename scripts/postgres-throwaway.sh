#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the tests and benchmarks (docs/POSTGRES.md, "Testing").
#
# Source it, then `kode_pg_start`: it installs the Debian package when initdb is missing, runs
# initdb as the `postgres` user in a fresh directory under /tmp, starts the server on a free
# loopback port (TCP only, fsync and synchronous_commit on) and exports KODE_PG_URL.
# `kode_pg_stop` stops it and removes the directory; callers put it in their EXIT trap.
# With KODE_PG_TLS=1 the server also offers TLS, with a self-signed certificate.
# Run directly (`scripts/postgres-throwaway.sh`), it starts a server, prints the URL and keeps
# it until interrupted.

kode_pg_bin() {
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

kode_pg_start() {
  local bin
  if ! bin=$(kode_pg_bin); then
    echo "PostgreSQL is not installed: installing the Debian package"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null || {
      echo "could not install postgresql"; return 1; }
    bin=$(kode_pg_bin) || { echo "postgresql installed but initdb not found"; return 1; }
  fi
  # initdb and postgres refuse to run as root: run them as `postgres`, in a directory that user owns.
  local as=()
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  KODE_PG_DIR=$(mktemp -d /tmp/kode-pg.XXXXXX)
  chmod 755 "$KODE_PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$KODE_PG_DIR"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # -N only skips syncing initdb's own files; the server runs with fsync on.
  if ! (cd /tmp && "${as[@]}" "$bin/initdb" -N -A trust -U postgres --locale=C.UTF-8 -E UTF8 \
        -D "$KODE_PG_DIR/data" > "$KODE_PG_DIR/initdb.log" 2>&1); then
    echo "initdb failed:"; cat "$KODE_PG_DIR/initdb.log"; return 1
  fi
  # In the configuration file rather than on the command line, so a restart keeps them. TCP
  # only: a Unix socket path longer than 107 bytes is fatal at start.
  cat >> "$KODE_PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = on
synchronous_commit = on
max_connections = 300
CONF
  # KODE_PG_TLS=1: TLS with a self-signed certificate (for the sslmode tests).
  if [ "${KODE_PG_TLS:-}" = 1 ]; then
    openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$KODE_PG_DIR/data/server.key" -out "$KODE_PG_DIR/data/server.crt" >/dev/null 2>&1 || {
      echo "openssl could not make a certificate"; return 1; }
    chmod 600 "$KODE_PG_DIR/data/server.key"
    [ "$(id -u)" = 0 ] && chown postgres: "$KODE_PG_DIR/data/server.key" "$KODE_PG_DIR/data/server.crt"
    echo "ssl = on" >> "$KODE_PG_DIR/data/postgresql.conf"
  fi
  if ! (cd /tmp && "${as[@]}" "$bin/pg_ctl" -D "$KODE_PG_DIR/data" -l "$KODE_PG_DIR/server.log" -w \
        start > "$KODE_PG_DIR/pg_ctl.log" 2>&1); then
    echo "PostgreSQL did not start:"; cat "$KODE_PG_DIR/pg_ctl.log" "$KODE_PG_DIR/server.log"; return 1
  fi
  KODE_PG_BIN=$bin
  export KODE_PG_DIR KODE_PG_BIN
  export KODE_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

kode_pg_stop() {
  [ -n "${KODE_PG_DIR:-}" ] || return 0
  local as=()
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  (cd /tmp && "${as[@]}" "$KODE_PG_BIN/pg_ctl" -D "$KODE_PG_DIR/data" -m fast stop >/dev/null 2>&1)
  rm -rf "$KODE_PG_DIR"
  KODE_PG_DIR=""
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  kode_pg_start || exit 1
  trap kode_pg_stop EXIT
  echo "$KODE_PG_URL"
  echo "data in $KODE_PG_DIR; Ctrl-C stops it"
  while sleep 3600; do :; done
fi
