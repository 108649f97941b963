import { Credentials, credentialOptions, HashingSlots, type LockoutPolicy, MemoryAttemptCounter } from "../../actors/credentials/index.ts";
import { type IdentityOptions, identityKind, identityOptions, type Role, type StaffPrincipal, StaffService, staffSessions } from "../../actors/identity/index.ts";
import type { ActorKind } from "../../actors/runtime/actor.ts";
import type { EventBus } from "../../actors/runtime/event-bus.ts";
import { type TestNode, testNodeContext } from "../support/node-context.ts";
import { testStore } from "../support/services.ts";

/** A clock the test moves by hand: lockouts and session expiry without sleeping. */
export class TestClock {
  constructor(public at = Date.now()) {}
  now = () => this.at;
  advance(ms: number) {
    this.at += ms;
  }
}

/** argon2id at a cost tests can afford (the production cost is the credentials module's default). */
export const CHEAP_HASH = { memoryCost: 1024, timeCost: 1 };

export type IdentityFixture = {
  node: TestNode;
  staff: StaffService;
  credentials: Credentials;
  clock: TestClock;
  options: IdentityOptions;
  /** a new staff member (unique username), signed in */
  member(role: Role, brands: string[] | null, password?: string): Promise<SignedIn>;
  close(): Promise<void>;
};

export type SignedIn = { principal: StaffPrincipal; username: string; password: string; staffId: string };

export type IdentityFixtureOptions = { kinds?: (options: IdentityOptions) => ActorKind[]; events?: EventBus; lockout?: Partial<LockoutPolicy>; slots?: HashingSlots };

/** The identity actor on a test node (the configured mailboxes), and its edge half over a test clock. */
export async function identityFixture(extra: IdentityFixtureOptions = {}): Promise<IdentityFixture> {
  const clock = new TestClock();
  const options = identityOptions({ now: clock.now });
  const node = await testNodeContext({ kinds: [identityKind(await testStore(), options), ...(extra.kinds?.(options) ?? [])], events: extra.events });
  await node.system.host("identity", null);
  const credentials = new Credentials(credentialOptions({ cost: CHEAP_HASH, lockout: extra.lockout, now: clock.now }), new MemoryAttemptCounter(clock.now), extra.slots);
  const staff = new StaffService({ messenger: node.system, credentials, sessions: staffSessions(node.store, clock.now), sessionTtlMs: options.sessionTtlMs });
  const member = async (role: Role, brands: string[] | null, password = "correct horse battery") => {
    const username = `s-${crypto.randomUUID().slice(0, 10)}`;
    const created = await node.system.askOutcome("identity", "createStaff", {
      username,
      passwordHash: await staff.hash(password),
      role,
      brands,
      by: { staffId: null, username: "test-setup" },
    });
    if (!created.ok) throw new Error(`create staff: ${created.error.message}`);
    const login = await staff.login({ username, password });
    if (!login.ok) throw new Error(`login: ${login.error.message}`);
    const principal = (await staff.authenticate(login.value.session.id))!;
    return { principal, username, password, staffId: principal.staffId };
  };
  return { node, staff, credentials, clock, options, member, close: () => node.close() };
}
