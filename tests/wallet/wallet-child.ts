/**
 * A wallet node in a child process, for the crash and paused-writer tests: boots
 * `wallet@$WALLET_BRAND` on the PostgreSQL server named by DATABASE_URL, reads asks as JSON
 * lines on stdin ({ key, messageId, type, body }) and writes each reply as a JSON line on
 * stdout ({ key, messageId, outcome }).
 * REPLY_DELAY_MS holds each reply back up to that long, like a slow way back to the client,
 * so that kills also land between a commit and the client hearing of it.
 * PAUSE_IN_COMMIT=n stops the process (SIGSTOP to itself) inside its n-th batch commit, right
 * after the batch took the brand's epoch row, and says `{ "paused": true }` first: a writer
 * frozen mid-commit (a long GC pause, a VM suspended) for the test to resume with SIGCONT.
 */
import { writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { type CentralStore, openCentralStore } from "../../actors/runtime/central-store.ts";
import { ActorSystem, createLogger, MemoryTransport, RuntimeMetrics } from "../../actors/runtime/index.ts";
import { walletAddress, walletKind } from "../../actors/wallet/index.ts";

const brand = process.env.WALLET_BRAND!;
const replyDelayMs = Number(process.env.REPLY_DELAY_MS ?? 0);
const pauseInCommit = Number(process.env.PAUSE_IN_COMMIT ?? 0);
const opened = await openCentralStore({ databaseUrl: process.env.DATABASE_URL!, dataDir: tmpdir(), max: 4 });
const store = pauseInCommit > 0 ? pausingInCommit(opened, pauseInCommit) : opened;
const metrics = new RuntimeMetrics();
const system = new ActorSystem({
  transport: new MemoryTransport(),
  nodeId: `wallet-child-${process.pid}`,
  log: createLogger("silent"),
  supervision: { backoffMs: 5, maxBackoffMs: 50, intensity: 20, periodMs: 60_000 },
  askTimeoutMs: 20_000,
  maxQueued: 10_000,
  idleMs: 600_000,
  metrics,
}).register(walletKind({ store, metrics, config: { NODE_ID: `wallet-child-${process.pid}` } }, { maxBatch: 32 }));
await system.start();
await system.host("wallet", brand);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

for await (const line of console) {
  if (!line.trim()) continue;
  const ask = JSON.parse(line) as { key: string; messageId: string; type: string; body: unknown };
  void system.askOutcome(walletAddress(brand), ask.type, ask.body, { id: ask.messageId }).then((outcome) => {
    const reply = () => process.stdout.write(`${JSON.stringify({ key: ask.key, messageId: ask.messageId, outcome })}\n`);
    if (replyDelayMs > 0) setTimeout(reply, Math.random() * replyDelayMs);
    else reply();
  });
}

/** The store, but the `nth` transaction that updates the epoch row stops the process right after. */
function pausingInCommit(inner: CentralStore, nth: number): CentralStore {
  let fences = 0;
  return Object.assign(Object.create(inner) as CentralStore, {
    transaction: <T>(fn: Parameters<CentralStore["transaction"]>[0]) =>
      inner.transaction<T>((tx) =>
        (fn as (t: typeof tx) => Promise<T>)({
          query: async (text, params, options) => {
            const rows = await tx.query(text, params, options);
            if (text.includes("UPDATE wallet_epochs SET batch") && ++fences === nth) {
              writeSync(1, `${JSON.stringify({ paused: true })}\n`);
              process.kill(process.pid, "SIGSTOP");
            }
            return rows as never;
          },
        }),
      ),
  });
}
