import { protocolClient, tellerOf } from "../runtime/client.ts";
import type { Logger } from "../runtime/log.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF, type IntakeLoop, type LoopSink } from "./loops/backoff.ts";
import { pushbulletLoop } from "./loops/pushbullet.ts";
import { telegramLoop } from "./loops/telegram.ts";
import { reconProtocol, type SourceSettings } from "./messages.ts";
import type { SecretBox } from "./secret-box.ts";
import type { UpstreamPolicy } from "./upstreams.ts";

type Running = { fingerprint: string; loop: IntakeLoop };

/**
 * The intake loops of the brands this node hosts: one per active Pushbullet or Telegram
 * source, made from the source's configuration (its secret opened here, never logged), only
 * toward a host the upstream policy allows (a source naming another is reported, not run). A
 * brand's loops start when the node hosts the brand and stop when it no longer does, so
 * placement moves them with the actor; a source change restarts only the loops it changed.
 */
export class IntakeLoops {
  private hosted = new Set<string>();
  private brands = new Map<string, Map<string, Running>>();
  private syncing = new Map<string, Promise<void>>();
  private retries = new Map<string, { timer: ReturnType<typeof setTimeout>; failures: number }>();
  private stopped = false;

  constructor(
    private ctx: { system: Messenger; log: Logger; secrets: SecretBox; upstreams: UpstreamPolicy },
    private policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** This node hosts `brand` now: run its loops. */
  host(brand: string): Promise<void> {
    this.hosted.add(brand);
    return this.sync(brand);
  }

  /** This node no longer hosts `brand`: its loops stop (after a sync under way). */
  unhost(brand: string): Promise<void> {
    this.hosted.delete(brand);
    this.clearRetry(brand);
    return this.serially(brand, () => this.stopBrand(brand));
  }

  /**
   * Start, restart or stop a hosted brand's loops to follow its sources; one sync at a time
   * per brand. A sync that fails (the actor busy or away) is tried again with the loops'
   * backoff, so a node that started while recon could not answer still starts its loops.
   */
  sync(brand: string): Promise<void> {
    if (!this.hosted.has(brand)) return Promise.resolve();
    return this.serially(brand, async () => {
      try {
        await this.syncNow(brand);
        this.clearRetry(brand);
      } catch (error) {
        this.retryLater(brand, error);
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const brand of [...this.retries.keys()]) this.clearRetry(brand);
    await Promise.all([...this.syncing.values()]);
    await Promise.all([...this.brands.keys()].map((brand) => this.stopBrand(brand)));
  }

  running(brand: string): string[] {
    return [...(this.brands.get(brand)?.keys() ?? [])];
  }

  private serially(brand: string, work: () => Promise<void>): Promise<void> {
    const next = (this.syncing.get(brand) ?? Promise.resolve()).then(work);
    this.syncing.set(brand, next);
    return next;
  }

  private retryLater(brand: string, error: unknown) {
    const failures = (this.retries.get(brand)?.failures ?? 0) + 1;
    this.clearRetry(brand);
    if (this.stopped || !this.hosted.has(brand)) return;
    if (failures === 1) this.ctx.log.error("recon loops sync failed; retrying", { brand, error });
    const timer = setTimeout(() => void this.sync(brand), Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(failures, 10)));
    timer.unref?.();
    this.retries.set(brand, { timer, failures });
  }

  private clearRetry(brand: string) {
    const retry = this.retries.get(brand);
    if (retry) clearTimeout(retry.timer);
    this.retries.delete(brand);
  }

  private async stopBrand(brand: string): Promise<void> {
    const loops = this.brands.get(brand);
    this.brands.delete(brand);
    await Promise.all([...(loops?.values() ?? [])].map((r) => r.loop.stop()));
  }

  private async syncNow(brand: string): Promise<void> {
    if (this.stopped || !this.hosted.has(brand)) return;
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
      const urls = this.ctx.upstreams.urlsOf(source.kind === "telegram" ? "telegram" : "pushbullet", source.settings);
      if (!urls) {
        // stored before hosts were checked, or allowed by a setting since removed: its token goes nowhere
        this.ctx.log.error("recon source names a host outside the public services and RECON_UPSTREAM_HOSTS; its loop is not started", { brand, source: source.id });
        await this.sink(brand, source.id)
          .status(false, "the source's apiUrl or streamUrl is not an allowed host (RECON_UPSTREAM_HOSTS)")
          .catch(() => {});
        continue;
      }
      const token = await this.ctx.secrets.open(source.secret, brand, source.id);
      if (token === undefined) {
        this.ctx.log.error("recon source secret does not open with this node's RECON_SECRET_KEY", { brand, source: source.id });
        continue;
      }
      loops.set(source.id, { fingerprint: fingerprintOf(source), loop: this.startLoop(brand, source, token, urls) });
    }
  }

  private startLoop(
    brand: string,
    source: { id: string; kind: string; settings: SourceSettings; cursor: string | null },
    token: string,
    urls: { apiUrl: string; streamUrl: string },
  ): IntakeLoop {
    const sink = this.sink(brand, source.id);
    const s = source.settings;
    if (source.kind === "telegram") {
      return telegramLoop({ id: source.id, token, apiUrl: urls.apiUrl, chatIds: s.chatIds, cursor: source.cursor }, sink, this.policy);
    }
    return pushbulletLoop({ id: source.id, token, apiUrl: urls.apiUrl, streamUrl: urls.streamUrl, deviceIdens: s.deviceIdens, cursor: source.cursor }, sink, this.policy);
  }

  /** A loop's way into recon@brand: each batch under a message id made from the source's ids, so a retried batch is applied once. */
  private sink(brand: string, sourceId: string): LoopSink {
    const recon = protocolClient(this.ctx.system, reconProtocol, "recon", brand);
    const teller = tellerOf(this.ctx.system, reconProtocol, "recon", brand);
    return {
      deliver: async (items, cursor) => {
        const id = `intake:${sourceId}:${new Bun.CryptoHasher("sha256").update(JSON.stringify([items.map((i) => i.externalId), cursor ?? null])).digest("hex")}`;
        const outcome = await recon.ingest({ sourceId, items, cursor }, { id });
        if (!outcome.ok) throw new Error(`recon@${brand} did not store source ${sourceId}'s messages: ${outcome.error.code} ${outcome.error.message}`);
      },
      status: async (connected, error) => {
        await teller.tell("loopStatus", { sourceId, connected, error, at: Date.now() });
      },
    };
  }
}

function fingerprintOf(source: { kind: string; secretVersion: number; settings: unknown }): string {
  return JSON.stringify([source.kind, source.secretVersion, source.settings]);
}
