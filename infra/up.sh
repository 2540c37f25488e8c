#!/usr/bin/env bash
# The platform's main job on a fresh machine: install, generate the Prisma client, migrate, build, and
# import MovieLens 100K when the database has no data yet. Later stages (training, serving) extend it.
# Usage: bash infra/up.sh            (DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/recsys)
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/services.sh

ensure_postgres
ensure_redis
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/recsys}"
ensure_database "$(basename "${DATABASE_URL%%\?*}")"
find_datasets

[ -d node_modules ] || npm ci --no-audit --no-fund
npx prisma generate
npx prisma migrate deploy
npx turbo run build

datasets=$(psql "$DATABASE_URL" -tAc 'SELECT count(*) FROM "Dataset"')
if [ "$datasets" = "0" ]; then
  node apps/cli/dist/bin/recsys.js data import ml-100k
fi
node apps/cli/dist/bin/recsys.js data list
