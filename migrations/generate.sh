#!/usr/bin/env bash
# Generate a migration for one domain: migrations/generate.sh <domain> <pg|shard> <name>
set -euo pipefail
cd "$(dirname "$0")/.."
# under Bun: schema files import modules that only load there
MIGRATE_DOMAIN="$1" MIGRATE_DIALECT="$2" node_modules/.bin/bun --bun node_modules/.bin/drizzle-kit generate --config drizzle.config.ts --name "$3"
