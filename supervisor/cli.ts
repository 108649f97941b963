#!/usr/bin/env bun
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config/index.ts";
import { actor } from "./commands/actor.ts";
import { brand, UsageError } from "./commands/brand.ts";
import { demo } from "./commands/demo.ts";
import { dlq } from "./commands/dlq.ts";
import { drain } from "./commands/drain.ts";
import { migrate } from "./commands/migrate.ts";
import { owner } from "./commands/owner.ts";
import { projectionCheck } from "./commands/projection-check.ts";
import { reconcile } from "./commands/reconcile.ts";
import { start } from "./commands/start.ts";
import { status } from "./commands/status.ts";
import type { Command } from "./commands/types.ts";

/** `bun run supervisor <command>`: the operator's CLI. */
export const COMMANDS: Command[] = [start, migrate, status, drain, brand, owner, actor, dlq, reconcile, projectionCheck, demo];

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    // an option that takes a value must be declared: else `--name "Acme Casino"` reads as a flag and a positional
    options: {
      help: { type: "boolean", short: "h" },
      json: { type: "boolean" },
      domain: { type: "string", multiple: true },
      name: { type: "string" },
      currency: { type: "string" },
      address: { type: "string" },
      brand: { type: "string" },
      "owner-password": { type: "string" },
    },
  });
  const [name, ...args] = positionals;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out(overview());
    return name ? 2 : values.help ? 0 : 2;
  }
  if (values.help) {
    out(`${command.summary}\n\nusage:\n  ${command.usage.split("\n").join("\n  ")}`);
    return 0;
  }
  try {
    const config = loadConfig();
    return await command.run({ config, args, flags: values as Record<string, string | boolean>, out });
  } catch (error) {
    if (error instanceof UsageError) out(`usage:\n  ${error.message.split("\n").join("\n  ")}`);
    else if (error instanceof ConfigError) out(error.message);
    else if (error instanceof Error && /ECONNREFUSED|Unable to connect|ConnectionRefused/i.test(`${error.message} ${(error as { code?: string }).code}`))
      out(`no node answers on the internal edge (port ${process.env.INTERNAL_PORT ?? 8084}); start one with \`npm start\``);
    else out(`error: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return ["usage: bun run supervisor <command> [options]   (--help on any command)", "", ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join("\n");
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
