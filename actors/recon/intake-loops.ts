import { formatAddress } from "../runtime/address.ts";
import { protocolClient } from "../runtime/client.ts";
import type { Logger } from "../runtime/log.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { DEFAULT_BACKOFF, type BackoffPolicy, type IntakeLoop, type LoopSink } from "./loops/backoff.ts";
import { pushbulletLoop } from "./loops/pushbullet.ts";
import { telegramLoop } from "./loops/telegram.ts";
import { reconProtocol, type SourceSettings } from "./messages.ts";
import type { SecretBox } from "./secret-box.ts";

/** The public services; a source's settings may name others (a proxy, or a test's fake). */
const TELEGRAM_API = "https://api.telegram.org";
const PUSHBULLET_API = "https://api.pushbullet.com";
const PUSHBULLET_STREAM = "wss://stream.pushbullet.com";

type Running = { fingerprint: string; loop: IntakeLoop };

/**
 * The intake loops of the brands this node hosts: one per active Pushbullet or Telegram
 * source, made from the source's configuration (its secret opened here, never logged). A
 * brand's loops start when the node hosts the brand and stop when it no longer does, so
 * placement moves them with the actor; a source change restarts only the loops it changed.
 */
export class IntakeLoops {
  private brands = new Map<string, Map<string, Running>>();
  private syncing = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private ctx: { system: Messenger; log: Logger; secrets: SecretBox },
    private policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Start, restart or stop `brand`'s loops to follow its sources; one sync at a time per brand. */
  sync(brand: string): Promise<void> {
    const next = (this.syncing.get(brand) ?? Promise.resolve()).then(() => this.syncNow(brand)).catch((error) => this.ctx.log.error("recon loops sync failed", { brand, error }));
    this.syncing.set(brand, next);
    return next;
  }

  async stopBrand(brand: string): Promise<void> {
    const loops = this.brands.get(brand);
    this.brands.delete(brand);
    await Promise.all([...(loops?.values() ?? [])].map((r) => r.loop.stop()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.syncing.values()]);
    await Promise.all([...this.brands.keys()].map((brand) => this.stopBrand(brand)));
  }

  running(brand: string): string[] {
    return [...(this.brands.get(brand)?.keys() ?? [])];
  }

  private async syncNow(brand: string): Promise<void> {
    if (this.stopped) return;
    const client = protocolClient(this.ctx.system, reconProtocol, "recon", brand);
    const answer = await client.intakeSources({});
    if (!answer.ok) throw new Error(`recon@${brand} did not list its sources: ${answer.error.code}`);
    const loops = this.brands.get(brand) ?? new Map<string, Running>();
    this.brands.set(brand, loops);
    const wanted = new Map(answer.value.items.map((s) => [s.id, s]));
    for (const [id, running] of loops) {
      const source = wanted.get(id);
      if (!source || fingerprintOf(source) !== running.fingerprint) {
        loops.delete(id);
        await running.loop.stop();
      }
    }
    for (const source of wanted.values()) {
      if (loops.has(source.id) || this.stopped) continue;
      const token = await this.ctx.secrets.open(source.secret, brand, source.id);
      if (token === undefined) {
        this.ctx.log.error("recon source secret does not open with this node's RECON_SECRET_KEY", { brand, source: source.id });
        continue;
      }
      loops.set(source.id, { fingerprint: fingerprintOf(source), loop: this.startLoop(brand, source, token) });
    }
  }

  private startLoop(brand: string, source: { id: string; kind: string; settings: SourceSettings; cursor: string | null }, token: string): IntakeLoop {
    const sink = this.sink(brand, source.id);
    const s = source.settings;
    if (source.kind === "telegram") {
      return telegramLoop({ id: source.id, token, apiUrl: s.apiUrl ?? TELEGRAM_API, chatIds: s.chatIds, cursor: source.cursor }, sink, this.policy);
    }
    return pushbulletLoop(
      { id: source.id, token, apiUrl: s.apiUrl ?? PUSHBULLET_API, streamUrl: s.streamUrl ?? PUSHBULLET_STREAM, deviceIdens: s.deviceIdens, cursor: source.cursor },
      sink,
      this.policy,
    );
  }

  /** A loop's way into recon@brand: each batch under a message id made from the source's ids, so a retried batch is applied once. */
  private sink(brand: string, sourceId: string): LoopSink {
    const address = formatAddress("recon", brand);
    return {
      deliver: async (items, cursor) => {
        const id = `intake:${sourceId}:${new Bun.CryptoHasher("sha256").update(JSON.stringify([items.map((i) => i.externalId), cursor ?? null])).digest("hex")}`;
        const outcome = await this.ctx.system.askOutcome(address, "ingest", { sourceId, items, cursor }, { id });
        if (!outcome.ok) throw new Error(`recon@${brand} did not store source ${sourceId}'s messages: ${outcome.error.code} ${outcome.error.message}`);
      },
      status: async (connected, error) => {
        await this.ctx.system.tell(address, "loopStatus", { sourceId, connected, error, at: Date.now() });
      },
    };
  }
}

function fingerprintOf(source: { kind: string; secretVersion: number; settings: unknown }): string {
  return JSON.stringify([source.kind, source.secretVersion, source.settings]);
}
