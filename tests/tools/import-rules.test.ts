import { describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { checkImports } from "../../tools/import-rules/check.ts";
import { importEdges } from "../../tools/import-rules/graph.ts";
import { importViolations, violationKey } from "../../tools/import-rules/rules.ts";

/** A small project that keeps every rule: each test adds the one import it is about. */
const CLEAN: Record<string, string> = {
  "config/index.ts": `import { z } from "zod";\nexport const schema = z.object({});`,
  "actors/runtime/errors.ts": `export class PlatformError extends Error {}`,
  "actors/runtime/central-store.ts": `export type CentralStore = { kind: string };`,
  "actors/runtime/system.ts": `import type { PlatformError } from "./errors.ts";\nexport type System = { error?: PlatformError };`,
  "shards/index.ts": `import { PlatformError } from "../actors/runtime/errors.ts";\nexport const shard = PlatformError;`,
  "actors/wallet/index.ts": `export { walletProtocol } from "./messages.ts";`,
  "actors/wallet/messages.ts": `import type { System } from "../runtime/system.ts";\nexport const walletProtocol = {} as System;`,
  "actors/wallet/schema.ts": `import { shard } from "../../shards/index.ts";\nexport const wallet = shard;`,
  "actors/player/index.ts": `import { walletProtocol } from "../wallet/index.ts";\nexport const player = walletProtocol;`,
  "actors/player/actor.ts": `export const turn = 1;`,
  "edges/shared/index.ts": `import type { System } from "../../actors/runtime/system.ts";\nexport type EdgeContext = { system: System };`,
  "edges/gateway/index.ts": `import { player } from "../../actors/player/index.ts";\nimport type { EdgeContext } from "../shared/index.ts";\nexport const gateway = (ctx: EdgeContext) => [ctx, player];\nexport { routes } from "./routes.ts";`,
  "edges/gateway/routes.ts": `import { Hono } from "hono";\nexport const routes = new Hono();`,
  "edges/admin/index.ts": `export const admin = 1;`,
  "edges/index.ts": `import { admin } from "./admin/index.ts";\nimport { gateway } from "./gateway/index.ts";\nexport const edges = [admin, gateway];`,
  "supervisor/context.ts": `import type { System } from "../actors/runtime/system.ts";\nexport type NodeContext = { system: System };`,
  "supervisor/node.ts": `import { edges } from "../edges/index.ts";\nimport type { CentralStore } from "../actors/runtime/central-store.ts";\nimport { walletProtocol } from "../actors/wallet/messages.ts";\nexport const node = [edges, walletProtocol] as unknown as CentralStore;`,
  "tests/wallet.test.ts": `import { wallet } from "../actors/wallet/schema.ts";\nimport { node } from "../supervisor/node.ts";\nexport default [wallet, node];`,
};

const project = (extra: Record<string, string> = {}) => new Map(Object.entries({ ...CLEAN, ...extra }));
const keysOf = (extra: Record<string, string>) => importViolations(importEdges(project(extra))).map(violationKey);

describe("import rules", () => {
  test("a project that keeps every rule has no violation", () => {
    expect(keysOf({})).toEqual([]);
  });

  /** [what, importing file, imported file, rule, how it imports (`%` is the relative path)] */
  const deliberate: [string, string, string, string, string?][] = [
    ["an edge reading a table", "edges/gateway/routes.ts", "actors/wallet/schema.ts", "edge-imports-store"],
    ["an edge reading the central store", "edges/gateway/routes.ts", "actors/runtime/central-store.ts", "edge-imports-store", `import type { CentralStore } from "%";`],
    ["an edge opening a shard", "edges/shared/index.ts", "shards/index.ts", "edge-imports-store", `export { shard } from "%";`],
    ["an edge reaching a domain's internals", "edges/gateway/routes.ts", "actors/player/actor.ts", "edge-imports-domain-internals"],
    ["an edge importing the supervisor, for a type only", "edges/admin/index.ts", "supervisor/context.ts", "edge-imports-supervisor", `import type { NodeContext } from "%";`],
    ["an edge importing another edge", "edges/admin/index.ts", "edges/gateway/routes.ts", "edge-imports-other-edge"],
    ["an edge importing another edge's entry", "edges/admin/index.ts", "edges/gateway/index.ts", "edge-imports-other-edge"],
    ["the edges' root reaching into an edge", "edges/index.ts", "edges/gateway/routes.ts", "edge-imports-other-edge"],
    ["shared edge code importing an edge", "edges/shared/index.ts", "edges/admin/index.ts", "edge-imports-other-edge"],
    ["a domain importing an edge", "actors/player/actor.ts", "edges/gateway/index.ts", "actor-imports-edge"],
    ["a domain importing the supervisor", "actors/player/actor.ts", "supervisor/context.ts", "actor-imports-supervisor", `import type { NodeContext } from "%";`],
    ["the runtime importing the supervisor", "actors/runtime/central-store.ts", "supervisor/context.ts", "actor-imports-supervisor", `import type { NodeContext } from "%";`],
    ["the runtime importing a domain", "actors/runtime/central-store.ts", "actors/player/index.ts", "platform-imports-domain", `import { type player } from "%";`],
    ["shards importing a domain", "shards/index.ts", "actors/player/index.ts", "platform-imports-domain", `export { player } from "%";`],
    ["a domain reaching another's internals", "actors/player/actor.ts", "actors/wallet/messages.ts", "domain-imports-domain-internals"],
    ["config importing the platform", "config/index.ts", "actors/runtime/errors.ts", "config-imports-platform"],
    ["a dynamic import", "actors/player/actor.ts", "edges/admin/index.ts", "actor-imports-edge", `export const later = () => import("%");`],
    ["an import type in a type position", "actors/player/actor.ts", "supervisor/context.ts", "actor-imports-supervisor", `export type Context = import("%").NodeContext;`],
  ];
  for (const [what, from, to, rule, how = `import * as imported from "%";`] of deliberate) {
    test(`${what} is a violation`, () => {
      const specifier = relative(dirname(from), to);
      expect(keysOf({ [from]: how.replace("%", specifier.startsWith(".") ? specifier : `./${specifier}`) })).toEqual([`${rule} ${from} -> ${to}`]);
    });
  }

  test("a cycle is found through a type-only import, and named by each import that closes it", () => {
    const violations = importViolations(
      importEdges(
        project({
          "actors/player/actor.ts": `import type { Inbox } from "./inbox.ts";\nexport type Player = { inbox: Inbox };`,
          "actors/player/inbox.ts": `import { notices } from "./notices.ts";\nexport type Inbox = typeof notices;`,
          "actors/player/notices.ts": `import type { Player } from "./actor.ts";\nexport const notices: Player[] = [];`,
        }),
      ),
    );
    expect(violations.map(violationKey)).toEqual([
      "cycle actors/player/actor.ts -> actors/player/inbox.ts",
      "cycle actors/player/inbox.ts -> actors/player/notices.ts",
      "cycle actors/player/notices.ts -> actors/player/actor.ts",
    ]);
    expect(violations[0]?.cycle).toEqual(["actors/player/actor.ts", "actors/player/inbox.ts", "actors/player/notices.ts", "actors/player/actor.ts"]);
  });
});

describe("the allow-list", () => {
  const violating = { "edges/admin/index.ts": `import type { NodeContext } from "../../supervisor/context.ts";` };
  const key = "edge-imports-supervisor edges/admin/index.ts -> supervisor/context.ts";

  test("a violation it does not name fails the check", () => {
    const check = checkImports(project(violating), []);
    expect(check.unexpected.map(violationKey)).toEqual([key]);
    expect(check.stale).toEqual([]);
  });

  test("a violation it names passes", () => {
    const check = checkImports(project(violating), [key]);
    expect(check.unexpected).toEqual([]);
    expect(check.stale).toEqual([]);
  });

  test("an entry whose import is gone fails the check, so the list only shrinks", () => {
    const check = checkImports(project(), [key]);
    expect(check.unexpected).toEqual([]);
    expect(check.stale).toEqual([key]);
  });
});

describe("npm run check:imports", () => {
  const main = join(import.meta.dir, "../../tools/import-rules/main.ts");

  async function runIn(files: Record<string, string>) {
    const root = await mkdtemp(join(tmpdir(), "import-rules-"));
    try {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
      }
      const run = Bun.spawn([process.execPath, main], { cwd: root, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
      return { stdout, stderr, code };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  test("fails on a deliberate violation and names it", async () => {
    const run = await runIn({ ...CLEAN, "actors/player/actor.ts": `import { admin } from "../../edges/admin/index.ts";\nexport const turn = admin;` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("import rule broken: actor-imports-edge actors/player/actor.ts -> edges/admin/index.ts");
    expect(run.stdout).toContain("imports: 1 violations, 0 stale allow-list entries, 0 allow-listed");
  });

  test("passes on allow-listed violations and fails on a stale entry", async () => {
    const allowList = "tools/import-rules/allowed-violations.txt";
    const listed = `# known\nactor-imports-edge actors/player/actor.ts -> edges/admin/index.ts\n`;
    const violating = { ...CLEAN, "actors/player/actor.ts": `import { admin } from "../../edges/admin/index.ts";\nexport const turn = admin;`, [allowList]: listed };
    expect((await runIn(violating)).code).toBe(0);
    const fixed = await runIn({ ...CLEAN, [allowList]: listed });
    expect(fixed.code).toBe(1);
    expect(fixed.stderr).toContain(
      "allow-listed but gone, delete its line from tools/import-rules/allowed-violations.txt: actor-imports-edge actors/player/actor.ts -> edges/admin/index.ts",
    );
  });
});
