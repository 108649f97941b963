/** Korea has kept UTC+9 all year since 1988: no daylight saving to look up. */
const KOREA_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
/** a time-only notice later than this past its receipt was sent the day before */
const CLOCK_SKEW_MS = 3_600_000;

/**
 * When a bank's printed time happened, in UTC milliseconds. The text is Korea time: `YYYY/MM/DD
 * HH:mm` is complete; `MM/DD HH:mm` takes the year of the receipt, one less when that puts it
 * more than a day after the receipt (a December SMS read in January); `HH:mm` takes the
 * receipt's date, the day before when that puts it more than an hour after the receipt (a
 * 23:59 transfer read at 00:01). Unreadable or absent: the receipt time.
 */
export function bankTimeToUtc(bankTime: string | null, receivedAt: number): number {
  if (bankTime === null) return receivedAt;
  const local = new Date(receivedAt + KOREA_OFFSET_MS);
  const full = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})$/.exec(bankTime);
  if (full) return koreaTime(+full[1]!, +full[2]!, +full[3]!, +full[4]!, +full[5]!) ?? receivedAt;
  const dated = /^(\d{2})\/(\d{2}) (\d{2}):(\d{2})$/.exec(bankTime);
  if (dated) {
    const [month, day, hour, minute] = dated.slice(1).map(Number) as [number, number, number, number];
    const year = local.getUTCFullYear();
    const thisYear = koreaTime(year, month, day, hour, minute);
    if (thisYear === undefined) return koreaTime(year - 1, month, day, hour, minute) ?? receivedAt;
    return thisYear - receivedAt > DAY_MS ? (koreaTime(year - 1, month, day, hour, minute) ?? receivedAt) : thisYear;
  }
  const clock = /^(\d{2}):(\d{2})$/.exec(bankTime);
  if (clock) {
    const at = koreaTime(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), +clock[1]!, +clock[2]!);
    if (at === undefined) return receivedAt;
    return at - receivedAt > CLOCK_SKEW_MS ? at - DAY_MS : at;
  }
  return receivedAt;
}

/** A Korea wall-clock time as UTC milliseconds; undefined for a date that does not exist (02/30, or 02/29 of a common year). */
function koreaTime(year: number, month: number, day: number, hour: number, minute: number): number | undefined {
  if (hour > 23 || minute > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute);
  const d = new Date(utc);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return utc - KOREA_OFFSET_MS;
}
