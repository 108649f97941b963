import type { z } from "zod";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { IdentityProtocol } from "./messages.ts";
import { staffByUsername, staffView, writeAudit } from "./staff-rows.ts";

export type EnsureOwnerResult = { created: boolean; username: string };
type Body = z.infer<IdentityProtocol["ensureOwner"]["body"]>;

/**
 * The first owner account (the identity actor's turn for `ensureOwner`). Until one exists
 * nobody can sign in to the back office, so the operator creates it with a password they
 * choose (there is no default): `supervisor demo`, or `POST /internal/ops/owner`. Does nothing
 * when an active owner already exists, so it is safe in a seed script.
 */
export async function ensureOwner(tx: SqlExecutor, b: Body, turn: { id: string }): Promise<Outcome<EnsureOwnerResult>> {
  const owners = await tx.query<{ username: string }>("select username from staff where role = 'owner' and status = 'active' order by created_at limit 1");
  if (owners.length > 0) return ok({ created: false, username: owners[0]!.username });
  if (await staffByUsername(tx, b.username)) {
    return fail("conflict", `username ${b.username} is taken by a staff member who is not an active owner; choose another username for the first owner`);
  }
  const id = crypto.randomUUID();
  await tx.query("insert into staff (id, username, password_hash, role, brands) values ($1, $2, $3, 'owner', null)", [id, b.username, b.passwordHash]);
  const row = (await staffByUsername(tx, b.username))!;
  await writeAudit(tx, { entryId: turn.id, by: { staffId: null, username: "bootstrap" }, action: "staff.create", brand: null, target: `staff:${id}`, after: staffView(row) });
  return ok({ created: true, username: b.username });
}
