#!/usr/bin/env bash
# Starts PostgreSQL and Redis on this machine when they are not answering (Debian packages, as on the
# project's machines; elsewhere use infra/docker-compose.yml). Sourced by .ci/run and infra/up.sh.
set -euo pipefail

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    echo "PostgreSQL is down: starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Redis is down: starting it"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping
}

ensure_database() { # name
  local name=$1
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$name\""
  fi
}

find_datasets() {
  if [ -z "${RECSYS_DATASETS_DIR:-}" ]; then
    local d
    for d in ../shared/datasets ../../shared/datasets /work/shared/datasets; do
      if [ -d "$d/ml-100k" ]; then RECSYS_DATASETS_DIR="$(cd "$d" && pwd)"; export RECSYS_DATASETS_DIR; break; fi
    done
  fi
  echo "datasets: ${RECSYS_DATASETS_DIR:-not found (set RECSYS_DATASETS_DIR)}"
}
