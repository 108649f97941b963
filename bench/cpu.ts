import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/**
 * CPU time of the servers a bench drives (PostgreSQL, Redis) when they run on this machine,
 * read from /proc, so a bench can say what one operation costs in every process it touches
 * and how many of them the machine's cores could carry at most.
 */

const TICK_MS = 10; // Linux reports process CPU time in clock ticks of 1/100 s
const LOCAL = ["127.0.0.1", "localhost", "[::1]", "::1"];

/** CPU time (ms) used so far by every process named `name`; null when the server at `url` is not local or /proc is not there. */
export function serverCpuMs(name: string, url: string): number | null {
  if (!LOCAL.includes(new URL(url).hostname)) return null;
  try {
    let ticks = 0;
    let found = false;
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = readStat(pid);
      if (!stat || stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    }
    return found ? ticks * TICK_MS : null;
  } catch {
    return null;
  }
}

function readStat(pid: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null; // the process ended meanwhile
  }
}

/** CPU (ms) each named part used over `run`, beside its result. */
export async function cpuOf<T>(parts: Record<string, () => number | null>, run: () => Promise<T>): Promise<{ result: T; cpuMs: Record<string, number | null> }> {
  const before = Object.fromEntries(Object.entries(parts).map(([name, read]) => [name, read()]));
  const result = await run();
  const cpuMs = Object.fromEntries(
    Object.entries(parts).map(([name, read]) => {
      const [start, end] = [before[name], read()];
      return [name, start === null || start === undefined || end === null ? null : end - start];
    }),
  );
  return { result, cpuMs };
}

/**
 * "X us in <part> + ... per <unit>; all N cores would carry M <unit>s/s", or null when a part
 * could not be read.
 */
export function budgetLine(cpuMs: Record<string, number | null>, count: number, unit: string): string | null {
  if (count === 0 || Object.values(cpuMs).some((ms) => ms === null)) return null;
  const perOp = Object.entries(cpuMs).map(([name, ms]) => [name, (ms! * 1000) / count] as const);
  const total = perOp.reduce((sum, [, us]) => sum + us, 0);
  const cores = availableParallelism();
  const parts = perOp.map(([name, us]) => `${us.toFixed(1)} us ${name}`).join(" + ");
  return `${parts} = ${total.toFixed(1)} us of CPU per ${unit}; all ${cores} cores would carry ${((cores * 1e6) / total).toFixed(0)} ${unit}s/s`;
}

/** CPU time (ms) this process used so far. */
export function ownCpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
