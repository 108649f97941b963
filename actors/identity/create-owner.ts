#!/usr/bin/env bun
import { loadConfig } from "../../config/index.ts";
import { openCentralStore } from "../runtime/central-store.ts";
import { ensureOwner } from "./bootstrap.ts";

/**
 * Create the first owner: `OWNER_PASSWORD=... bun actors/identity/create-owner.ts <username>`.
 * The password comes from the environment (or stdin when unset), never from a default.
 */
async function main(argv: string[]): Promise<number> {
  const username = argv[0];
  if (!username) {
    console.error("usage: OWNER_PASSWORD=<password> bun actors/identity/create-owner.ts <username>   (or pipe the password on stdin)");
    return 2;
  }
  const password = process.env.OWNER_PASSWORD || (await Bun.stdin.text()).trim();
  const config = loadConfig();
  const store = await openCentralStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await store.migrate();
    const result = await ensureOwner(store, username, password);
    console.log(result.created ? `owner ${result.username} created` : `an owner already exists (${result.username}); nothing changed`);
    return 0;
  } finally {
    await store.close();
  }
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
