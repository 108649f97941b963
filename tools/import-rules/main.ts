import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { checkImports, describeViolation, parseAllowList } from "./check.ts";
import { violationKey } from "./rules.ts";

/**
 * `npm run check:imports`: the import rules over every .ts file under the current directory
 * (the project root). Fails on a violation the allow-list does not name, and on an allow-list
 * entry that no longer occurs, so the list only shrinks. `--list` prints today's violations
 * as allow-list lines.
 */
const ALLOW_LIST = "tools/import-rules/allowed-violations.txt";
/** installed packages and run-time data, not the project's code */
const SKIPPED = new Set(["node_modules", "data"]);

async function sourceFiles(root: string, dir = ""): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith(".")) continue;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [p, text] of await sourceFiles(root, path)) files.set(p, text);
    else if (entry.isFile() && path.endsWith(".ts")) files.set(path, await Bun.file(join(root, path)).text());
  }
  return files;
}

const root = process.cwd();
const allowList = Bun.file(join(root, ALLOW_LIST));
const result = checkImports(await sourceFiles(root), (await allowList.exists()) ? parseAllowList(await allowList.text()) : []);
if (process.argv.includes("--list")) {
  for (const v of result.violations) console.log(violationKey(v));
  process.exit(0);
}
for (const v of result.unexpected) console.error(`import rule broken: ${describeViolation(v)}`);
for (const key of result.stale) console.error(`allow-listed but gone, delete its line from ${ALLOW_LIST}: ${key}`);
const allowed = result.violations.length - result.unexpected.length;
console.log(`imports: ${result.unexpected.length} violations, ${result.stale.length} stale allow-list entries, ${allowed} allow-listed`);
process.exit(result.unexpected.length + result.stale.length > 0 ? 1 : 0);
