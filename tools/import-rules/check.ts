import { importEdges } from "./graph.ts";
import { importViolations, type Violation, violationKey } from "./rules.ts";

/** The verdict on a file set: violations the allow-list does not name, and entries that name nothing any more. */
export type ImportCheck = { violations: Violation[]; unexpected: Violation[]; stale: string[] };

/** Allow-list lines: one violation key each; `#` starts a comment, blank lines are skipped. */
export function parseAllowList(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim().replace(/\s+/g, " "))
    .filter((line) => line.length > 0);
}

export function checkImports(files: ReadonlyMap<string, string>, allowed: readonly string[]): ImportCheck {
  const violations = importViolations(importEdges(files));
  const known = new Set(allowed);
  const current = new Set(violations.map(violationKey));
  return {
    violations,
    unexpected: violations.filter((v) => !known.has(violationKey(v))),
    stale: [...known].filter((key) => !current.has(key)),
  };
}

export function describeViolation(v: Violation): string {
  const via = v.cycle ? `\n    cycle: ${v.cycle.join(" -> ")}` : "";
  return `${violationKey(v)}\n    ${v.says}${via}`;
}
