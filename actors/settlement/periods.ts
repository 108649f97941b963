import { localDay } from "../runtime/local-day.ts";

export { localDay };

/**
 * Settlement periods: whole local days of a brand's time zone. A daily period is one day, a
 * weekly one Monday to Sunday. Days are ISO dates (`2024-05-06`), which compare as strings, so
 * activity kept per local day sums into any period without knowing its instants.
 */

export type Cadence = "daily" | "weekly";

/** A period of whole local days, `from` and `to` included; `key` names it in ids and idempotency keys. */
export type Period = { key: string; from: string; to: string };

const DAY_MS = 86_400_000;

const utcOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function addDays(day: string, days: number): string {
  return new Date(utcOf(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the week `day` falls in. */
function mondayOf(day: string): string {
  const weekday = new Date(utcOf(day)).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

export function periodOf(day: string, cadence: Cadence): Period {
  if (cadence === "daily") return { key: day, from: day, to: day };
  const from = mondayOf(day);
  const to = addDays(from, 6);
  return { key: `${from}..${to}`, from, to };
}

/** The period before `period` of the same cadence. */
export function previousPeriod(period: Period, cadence: Cadence): Period {
  return periodOf(addDays(period.from, -1), cadence);
}

/**
 * The instant a local day starts (its first millisecond in `timeZone`). Found by correcting a
 * guess with the zone's offset twice, which settles across a daylight-saving change.
 */
export function startOfDay(day: string, timeZone: string): number {
  let guess = utcOf(day);
  for (let i = 0; i < 2; i++) guess = utcOf(day) - offsetAt(guess, timeZone);
  return guess;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone` is ahead of UTC at an instant, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(at / 1000) * 1000;
}

/** When a period ends: the start of the local day after its last. */
export function endOf(period: Period, timeZone: string): number {
  return startOfDay(addDays(period.to, 1), timeZone);
}

/**
 * The periods due at `now`: those that ended at least `graceMs` ago, newest first, going back
 * `lookback` periods (so a node that was down when a period closed settles it at its next
 * start). Late events get `graceMs` to arrive before a period is snapshotted.
 */
export function duePeriods(now: number, options: { cadence: Cadence; timeZone: string; graceMs: number; lookback: number }): Period[] {
  const { cadence, timeZone, graceMs, lookback } = options;
  let period = previousPeriod(periodOf(localDay(now, timeZone), cadence), cadence);
  if (endOf(period, timeZone) + graceMs > now) period = previousPeriod(period, cadence);
  const due: Period[] = [];
  for (let i = 0; i < lookback; i++, period = previousPeriod(period, cadence)) due.push(period);
  return due;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  return DAY.test(text) && !Number.isNaN(utcOf(text)) && new Date(utcOf(text)).toISOString().startsWith(text);
}
