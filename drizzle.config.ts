import { defineConfig } from "drizzle-kit";
import { SCHEMA_FILES } from "./migrations/index.ts";

/**
 * One domain's migrations at a time:
 *   MIGRATE_DOMAIN=wallet MIGRATE_DIALECT=pg npx drizzle-kit generate --name <what>
 * (or `npm run db:generate -- wallet pg <what>`).
 */
const domain = process.env.MIGRATE_DOMAIN ?? "";
const dialect = process.env.MIGRATE_DIALECT === "shard" ? "shard" : "pg";
const schema = SCHEMA_FILES[domain]?.[dialect];
if (!schema) throw new Error(`set MIGRATE_DOMAIN to one of ${Object.keys(SCHEMA_FILES).join(", ")} with a ${dialect} schema`);

export default defineConfig({
  dialect: dialect === "pg" ? "postgresql" : "sqlite",
  schema: `./${schema}`,
  out: `./migrations/${dialect}/${domain}`,
});
