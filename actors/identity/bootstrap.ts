import type { CentralStore } from "../runtime/central-store.ts";
import { PlatformError } from "../runtime/errors.ts";
import { passwordSchema, usernameSchema } from "./messages.ts";
import { DEFAULT_IDENTITY_OPTIONS, type IdentityOptions } from "./options.ts";
import { staffByUsername, staffView, writeAudit } from "./staff-rows.ts";

export type EnsureOwnerResult = { created: boolean; username: string };

/**
 * The first owner account. Until one exists nobody can sign in to the back office, so the
 * operator creates it with a password they choose (there is no default password):
 *
 *   OWNER_PASSWORD='...' bun actors/identity/create-owner.ts <username>
 *
 * Runs against the central store directly, before or beside a node, like a migration. Does
 * nothing when an active owner already exists, so it is safe in a seed script.
 */
export async function ensureOwner(
  store: CentralStore,
  username: string,
  password: string,
  options: Pick<IdentityOptions, "hashCost"> = DEFAULT_IDENTITY_OPTIONS,
): Promise<EnsureOwnerResult> {
  const name = usernameSchema.parse(username);
  passwordSchema.parse(password);
  const hash = await Bun.password.hash(password, { algorithm: "argon2id", ...options.hashCost });
  return store.transaction(async (tx) => {
    // serialize concurrent bootstraps (two nodes started by one seed script)
    await tx.query("select pg_advisory_xact_lock(7400114)");
    const owners = await tx.query<{ username: string }>("select username from staff where role = 'owner' and status = 'active' order by created_at limit 1");
    if (owners.length > 0) return { created: false, username: owners[0]!.username };
    if (await staffByUsername(tx, name)) {
      throw new PlatformError("conflict", `username ${name} is taken by a staff member who is not an active owner; choose another username for the first owner`);
    }
    const id = crypto.randomUUID();
    await tx.query("insert into staff (id, username, password_hash, role, brands) values ($1, $2, $3, 'owner', null)", [id, name, hash]);
    const row = (await staffByUsername(tx, name))!;
    await writeAudit(tx, {
      entryId: `bootstrap:${id}`,
      by: { staffId: null, username: "bootstrap" },
      action: "staff.create",
      brand: null,
      target: `staff:${id}`,
      after: staffView(row),
    });
    return { created: true, username: name };
  });
}
