import { describe, expect, test } from "bun:test";
import { ensureOwner } from "../../actors/identity/index.ts";
import { openCentralStore } from "../../actors/runtime/central-store.ts";
import { tempDir } from "../support/services.ts";
import { CHEAP_HASH } from "./identity-fixture.ts";

describe("ensureOwner", () => {
  // a store of its own: the shared one already has owners made by other tests
  test("creates the first owner once, with the password given; refuses weak input", async () => {
    const store = await openCentralStore({ dataDir: tempDir("bootstrap") });
    await using _closing = { [Symbol.asyncDispose]: () => store.close() };
    await store.migrate();
    await expect(ensureOwner(store, "root", "short", { hashCost: CHEAP_HASH })).rejects.toThrow("at least 10 characters");
    expect(await ensureOwner(store, "Root", "the chosen secret", { hashCost: CHEAP_HASH })).toEqual({ created: true, username: "root" });
    expect(await ensureOwner(store, "second", "another secret!", { hashCost: CHEAP_HASH })).toEqual({ created: false, username: "root" });
    const [row] = await store.query<{ role: string; brands: unknown; password_hash: string }>("select role, brands, password_hash from staff where username = 'root'");
    expect(row).toMatchObject({ role: "owner", brands: null });
    expect(await Bun.password.verify("the chosen secret", row!.password_hash)).toBe(true);
    const audit = await store.query<{ username: string; action: string }>("select username, action from audit_log");
    expect(audit).toEqual([{ username: "bootstrap", action: "staff.create" }]);
    expect(await store.query("select 1 from staff where username = 'second'")).toHaveLength(0);
  }, 30_000);
});
