import { dirname, join, normalize } from "node:path/posix";
import { parseSync } from "oxc-parser";

/** One project file importing another: paths are relative to the project root, with `/`. */
export type ImportEdge = { from: string; to: string; typeOnly: boolean };

/**
 * Every import between the given files (path to source text), type-only ones included and
 * marked: `import type`, `export type ... from`, `import("./x.ts")` in a type, dynamic
 * `import()` with a literal path. Package imports are left out; a relative path that names no
 * given file is kept as written (resolved), so a rule on its folder still applies.
 */
export function importEdges(files: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, source] of files) {
    for (const { specifier, typeOnly } of importsOf(from, source)) {
      const to = resolve(from, specifier, files);
      if (to !== undefined) edges.push({ from, to, typeOnly });
    }
  }
  return edges;
}

type Specifier = { specifier: string; typeOnly: boolean };

function importsOf(path: string, source: string): Specifier[] {
  const parsed = parseSync(path, source, { lang: "ts" });
  if (parsed.errors.length > 0) throw new Error(`${path} does not parse: ${parsed.errors[0]?.message}`);
  const found: Specifier[] = [];
  for (const i of parsed.module.staticImports) {
    // `import "./x.ts"` and `import {} from "./x.ts"` have no entries: a value import for its effects
    found.push({ specifier: i.moduleRequest.value, typeOnly: i.entries.length > 0 && i.entries.every((e) => e.isType) });
  }
  for (const e of parsed.module.staticExports) {
    const reexports = e.entries.filter((x) => x.moduleRequest !== null);
    const first = reexports[0]?.moduleRequest;
    if (first) found.push({ specifier: first.value, typeOnly: reexports.every((x) => x.isType) });
  }
  for (const d of parsed.module.dynamicImports) {
    const literal = stringLiteral(source.slice(d.moduleRequest.start, d.moduleRequest.end));
    if (literal !== undefined) found.push({ specifier: literal, typeOnly: false });
  }
  if (source.includes("import(") || source.includes("require(")) found.push(...typeImportsOf(parsed.program));
  return found;
}

/** `import("./x.ts").T` in a type, and `import x = require("./x.ts")`. */
function typeImportsOf(program: unknown): Specifier[] {
  const found: Specifier[] = [];
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const n = node as { type?: string; source?: { value?: unknown }; expression?: { value?: unknown }; importKind?: string };
    if (n.type === "TSImportType" && typeof n.source?.value === "string") found.push({ specifier: n.source.value, typeOnly: true });
    if (n.type === "TSExternalModuleReference" && typeof n.expression?.value === "string") found.push({ specifier: n.expression.value, typeOnly: false });
    for (const value of Object.values(node)) if (typeof value === "object") visit(value);
  };
  visit(program);
  return found;
}

function stringLiteral(text: string): string | undefined {
  const match = /^(["'`])([^"'`$\\]*)\1$/.exec(text.trim());
  return match?.[2];
}

function resolve(from: string, specifier: string, files: ReadonlyMap<string, string>): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const path = normalize(join(dirname(from), specifier));
  if (path.startsWith("../")) return undefined;
  const candidates = [path, `${path}.ts`, `${path}/index.ts`];
  return candidates.find((c) => files.has(c)) ?? path;
}
