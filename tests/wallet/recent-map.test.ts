import { expect, test } from "bun:test";
import { RecentMap } from "../../actors/wallet/recent-map.ts";

/** The wallet's caches: what was used lately stays, what was not is forgotten after two rotations. */

test("an entry read since the last rotation survives the next one; one left alone is gone after two", () => {
  const map = new RecentMap<string, number>(2);
  map.set("kept", 1).set("left", 2);
  map.rotate(); // current full: both move to the older generation
  expect(map.get("kept")).toBe(1); // read: back in the current generation
  map.set("new", 3);
  map.rotate();
  expect(map.has("kept")).toBe(true);
  expect(map.has("left")).toBe(false);
  expect(map.get("left")).toBeUndefined();
});

test("a value set again shadows its older copy, before and after rotations", () => {
  const map = new RecentMap<string, { v: number } | null>(2);
  map.set("k", { v: 1 }).set("other", null);
  map.rotate();
  map.set("k", { v: 2 });
  expect(map.get("k")).toEqual({ v: 2 });
  expect(map.get("other")).toBeNull(); // null is a value, not a miss
  expect(map.has("other")).toBe(true);
  map.rotate();
  expect(map.get("k")).toEqual({ v: 2 });
  map.rotate();
  expect(map.get("k")).toEqual({ v: 2 });
});

test("delete forgets both generations; rotate waits for a full generation", () => {
  const map = new RecentMap<string, number>(3);
  map.set("a", 1).set("b", 2).set("c", 3);
  map.rotate();
  map.set("a", 10);
  map.delete("a");
  expect(map.has("a")).toBe(false);
  map.set("d", 4);
  map.rotate(); // one entry in the current generation: nothing moves
  expect(map.get("b")).toBe(2);
  expect(map.get("c")).toBe(3);
});
