#!/usr/bin/env bash
# The platform's main job on a fresh machine: install, generate the Prisma client, migrate, build,
# import MovieLens 100K when the database has no data yet, train and promote a model when the
# placement has none, then serve the subgraph on http://localhost:${PORT:-4001}/graphql (Apollo Sandbox).
# Usage: bash infra/up.sh   (DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/recsys;
#        RECSYS_DATASET picks the dataset served, ml-100k by default; Ctrl-C stops the subgraph)
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/services.sh

ensure_postgres
ensure_redis
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/recsys}"
ensure_database "$(basename "${DATABASE_URL%%\?*}")"
find_datasets

export ONNXRUNTIME_NODE_INSTALL=skip # its CPU build is in the package; the script would fetch a GPU build
[ -d node_modules ] || npm ci --no-audit --no-fund
npx prisma generate
npx prisma migrate deploy
npx turbo run build

export RECSYS_DATASET="${RECSYS_DATASET:-ml-100k}"
recsys() { node apps/cli/dist/bin/recsys.js "$@"; }

if ! psql "$DATABASE_URL" -tAc "SELECT 1 FROM \"Dataset\" WHERE id = '$RECSYS_DATASET'" | grep -q 1; then
  recsys data import "$RECSYS_DATASET"
fi
recsys data list
recsys models bootstrap --dataset "$RECSYS_DATASET" --model "${RECSYS_DEFAULT_MODEL:-als}" --placement home

export NODE_ENV="${NODE_ENV:-development}" # Apollo Sandbox on the landing page
echo "serving the subgraph on http://localhost:${PORT:-4001}/graphql (dataset $RECSYS_DATASET)"
exec node apps/subgraph/dist/main.js
