import type { ActorKind, Behavior, Incoming } from "../runtime/actor.ts";
import { schemasOf } from "../runtime/actor.ts";
import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { ensureOwner } from "./bootstrap.ts";
import { cleanupStale, openSession, recordFailedLogin, revokeSession } from "./login-turns.ts";
import { IDENTITY_QUERIES, identityProtocol } from "./messages.ts";
import type { IdentityOptions } from "./options.ts";
import { identityOutcomes } from "./outcomes.ts";
import { credentials, listStaff, loginChallenge, member, readAudit } from "./staff-queries.ts";
import { writeAudit } from "./staff-rows.ts";
import { createStaff, setPassword, type Turn, updateStaff } from "./staff-turns.ts";

export const IDENTITY_ADDRESS = "identity";
export const SESSION_CLEANUP_TIMER = "session-cleanup";

/**
 * The global identity actor: the one writer of staff, sessions and the audit log. Each
 * command is decided in its own transaction together with its journaled outcome; queries
 * read the store and are not journaled.
 */
export function identityKind(store: CentralStore, options: IdentityOptions): ActorKind {
  return {
    domain: "identity",
    scope: "global",
    messages: schemasOf(identityProtocol),
    timers: [{ name: SESSION_CLEANUP_TIMER, cron: options.cleanupCron }],
    create: (ctx) => identityBehavior(store, ctx.address, options),
  };
}

function decide(tx: SqlExecutor, m: Incoming<any>, turn: Turn, options: IdentityOptions): Promise<Outcome> {
  switch (m.type) {
    case "createStaff":
      return createStaff(tx, m.body, turn);
    case "updateStaff":
      return updateStaff(tx, m.body, turn);
    case "setStaffPassword":
      return setPassword(tx, m.body, turn);
    case "openSession":
      return openSession(tx, m.body, turn, options);
    case "recordFailedLogin":
      return recordFailedLogin(tx, m.body, turn);
    case "revokeSession":
      return revokeSession(tx, m.body, turn);
    case "ensureOwner":
      return ensureOwner(tx, m.body, turn);
    case "recordAudit":
      return writeAudit(tx, { entryId: m.id, ...m.body }).then((seq) => ok({ seq }));
    case "timer":
      return m.body.name === SESSION_CLEANUP_TIMER ? cleanupStale(tx, m.body.firedAt, options) : Promise.resolve(ok({ ignored: m.body.name }));
    default:
      return Promise.resolve(fail("unknown_message", `identity does not take ${m.type} messages`));
  }
}

function query(store: CentralStore, m: Incoming<any>): Promise<Outcome> {
  switch (m.type) {
    case "loginChallenge":
      return loginChallenge(store, m.body);
    case "credentials":
      return credentials(store, m.body);
    case "member":
      return member(store, m.body);
    case "listStaff":
      return listStaff(store, m.body);
    default:
      return readAudit(store, m.body);
  }
}

function identityBehavior(store: CentralStore, address: string, options: IdentityOptions): Behavior {
  const outcomes = identityOutcomes(store, address);
  const command = (m: Incoming) =>
    store.transaction(async (tx) => {
      const outcome = await decide(tx, m, { id: m.id, now: m.type === "timer" ? (m.body as { firedAt: number }).firedAt : options.now() }, options);
      await outcomes.record(tx, m.id, outcome);
      return outcome;
    });
  return {
    recall: (ids) => outcomes.recall(ids),
    async receive(batch) {
      const results: Outcome[] = [];
      for (const m of batch) results.push(await (IDENTITY_QUERIES.has(m.type) ? query(store, m) : command(m)));
      return results;
    },
  };
}
