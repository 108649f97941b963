const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local day (`2024-05-06`) of instant `at` in an IANA time zone: a brand's day for limits, counters and settlement periods. */
export function localDay(at: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  return format.format(at);
}
