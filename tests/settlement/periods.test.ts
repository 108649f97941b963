import { describe, expect, test } from "bun:test";
import { addDays, duePeriods, endOf, isDay, localDay, periodOf, startOfDay } from "../../actors/settlement/index.ts";

describe("settlement periods: whole local days of the brand's time zone", () => {
  test("a daily period is its day; a weekly one runs Monday to Sunday", () => {
    expect(periodOf("2024-05-08", "daily")).toEqual({ key: "2024-05-08", from: "2024-05-08", to: "2024-05-08" });
    expect(periodOf("2024-05-08", "weekly")).toEqual({ key: "2024-05-06..2024-05-12", from: "2024-05-06", to: "2024-05-12" });
    expect(periodOf("2024-05-12", "weekly").from).toBe("2024-05-06");
    expect(periodOf("2024-05-13", "weekly").from).toBe("2024-05-13");
    expect(addDays("2024-02-28", 2)).toBe("2024-03-01");
  });

  test("a local day starts at its zone's midnight, across daylight saving too", () => {
    expect(new Date(startOfDay("2024-05-08", "Asia/Seoul")).toISOString()).toBe("2024-05-07T15:00:00.000Z");
    expect(new Date(startOfDay("2024-05-08", "UTC")).toISOString()).toBe("2024-05-08T00:00:00.000Z");
    expect(new Date(startOfDay("2024-03-10", "America/New_York")).toISOString()).toBe("2024-03-10T05:00:00.000Z");
    expect(new Date(startOfDay("2024-03-11", "America/New_York")).toISOString()).toBe("2024-03-11T04:00:00.000Z");
    expect(new Date(startOfDay("2024-05-08", "Asia/Kolkata")).toISOString()).toBe("2024-05-07T18:30:00.000Z");
    expect(localDay(startOfDay("2024-05-08", "Asia/Seoul"), "Asia/Seoul")).toBe("2024-05-08");
    expect(localDay(startOfDay("2024-05-08", "Asia/Seoul") - 1, "Asia/Seoul")).toBe("2024-05-07");
  });

  test("a period is due once it ended and its grace passed; a node back from a pause sees the ones it missed", () => {
    const timeZone = "Asia/Seoul";
    const end = endOf(periodOf("2024-05-07", "daily"), timeZone);
    const options = { cadence: "daily" as const, timeZone, graceMs: 10 * 60_000, lookback: 2 };
    expect(duePeriods(end + 5 * 60_000, options).map((p) => p.key)).toEqual(["2024-05-06", "2024-05-05"]);
    expect(duePeriods(end + 10 * 60_000, options).map((p) => p.key)).toEqual(["2024-05-07", "2024-05-06"]);
    const weekEnd = endOf(periodOf("2024-05-08", "weekly"), timeZone);
    expect(duePeriods(weekEnd + 11 * 60_000, { ...options, cadence: "weekly", lookback: 1 }).map((p) => p.key)).toEqual(["2024-05-06..2024-05-12"]);
  });

  test("days are real calendar days", () => {
    expect(isDay("2024-02-29")).toBe(true);
    for (const bad of ["2023-02-29", "2024-13-01", "2024-5-1", "20240501", "2024-05-01T00:00"]) expect(isDay(bad)).toBe(false);
  });
});
