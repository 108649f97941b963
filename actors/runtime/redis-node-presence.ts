import type { Logger } from "./log.ts";
import { MAILBOX_GROUP, type MailboxKeys } from "./redis-keys.ts";
import type { ScriptedRedis } from "./redis-scripts.ts";

/**
 * Delete the named consumers of the group that still hold nothing, atomically per stream (one
 * that read an entry since it was picked keeps it). KEYS: stream. ARGV: group, names...
 */
const FORGET_EMPTY_CONSUMERS = `
local stream, group = KEYS[1], ARGV[1]
local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', stream, group)
if not ok then return 0 end
local wanted = {}
for i = 2, #ARGV do wanted[ARGV[i]] = true end
local forgotten = 0
for _, c in ipairs(consumers) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if wanted[f['name']] and tonumber(f['pending']) == 0 then
    redis.call('XGROUP', 'DELCONSUMER', stream, group, f['name'])
    forgotten = forgotten + 1
  end
end
return forgotten`;

export type PresenceOptions = {
  /** how long a heartbeat lives: a few of the node's beats */
  heartbeatTtlMs: number;
  /** a consumer idle this long, holding nothing, whose node has no heartbeat, is removed */
  goneConsumerMs: number;
};

/**
 * A node's heartbeat in Redis, and the removal of what nodes that are gone left behind: their
 * control streams, and their consumers in the mailbox groups of the streams this node watches
 * (idle past a bound, holding nothing: what they held was reclaimed first). Without it, every
 * node name ever used stays a consumer of every group and its control streams stay.
 */
export class NodePresence {
  constructor(
    private commands: ScriptedRedis,
    private keys: MailboxKeys,
    readonly name: string,
    private options: PresenceOptions,
    private log: Logger,
  ) {}

  /** Say this node is alive, with how many control streams it opened. */
  async beat(controlStreams: number): Promise<void> {
    await this.commands
      .multi()
      .set(this.keys.heartbeat(this.name), String(Date.now()), "PX", this.options.heartbeatTtlMs)
      .hset(this.keys.nodes(), this.name, String(controlStreams))
      .exec();
  }

  /** This node stops cleanly: its control streams are deleted by its consumer, its name goes here. */
  async leave(): Promise<void> {
    await this.commands.multi().del(this.keys.heartbeat(this.name)).hdel(this.keys.nodes(), this.name).exec();
  }

  /** Remove what gone nodes left: their control streams, and their empty idle consumers of `streams`. */
  async forgetGone(streams: string[]): Promise<{ nodes: number; consumers: number }> {
    const nodes = await this.goneNodes();
    for (const [node, controls] of nodes) {
      const controlKeys = Array.from({ length: controls }, (_, i) => this.keys.control(node, i));
      const tx = this.commands.multi();
      if (controlKeys.length > 0) tx.del(...controlKeys);
      await tx.hdel(this.keys.nodes(), node).exec();
    }
    const consumers = await this.forgetGoneConsumers(streams);
    if (nodes.size > 0 || consumers > 0) this.log.info("forgot mailbox consumers of nodes that are gone", { nodes: [...nodes.keys()], consumers });
    return { nodes: nodes.size, consumers };
  }

  /** Nodes registered in the node list whose heartbeat expired, with their control stream counts. */
  private async goneNodes(): Promise<Map<string, number>> {
    const registered = Object.entries(await this.commands.hgetall(this.keys.nodes())).filter(([node]) => node !== this.name);
    const alive = await this.alive(registered.map(([node]) => node));
    return new Map(registered.filter(([node]) => !alive.has(node)).map(([node, controls]) => [node, Number(controls) || 0]));
  }

  private async alive(nodes: string[]): Promise<Set<string>> {
    if (nodes.length === 0) return new Set();
    const pipeline = this.commands.pipeline();
    for (const node of nodes) pipeline.exists(this.keys.heartbeat(node));
    const replies = (await pipeline.exec()) ?? [];
    return new Set(nodes.filter((_, i) => replies[i]?.[1] === 1));
  }

  private async forgetGoneConsumers(streams: string[]): Promise<number> {
    if (streams.length === 0) return 0;
    const pipeline = this.commands.pipeline();
    for (const stream of streams) pipeline.xinfo("CONSUMERS", stream, MAILBOX_GROUP);
    const replies = (await pipeline.exec()) ?? [];
    const idleByStream = new Map<string, string[]>();
    replies.forEach(([error, reply], i) => {
      if (error) return; // no stream or group (yet)
      const idle = (reply as unknown[][]).map(fields).filter((c) => c.name !== this.name && Number(c.pending) === 0 && Number(c.idle) >= this.options.goneConsumerMs);
      if (idle.length > 0)
        idleByStream.set(
          streams[i]!,
          idle.map((c) => String(c.name)),
        );
    });
    const alive = await this.alive([...new Set([...idleByStream.values()].flat())]);
    let forgotten = 0;
    for (const [stream, names] of idleByStream) {
      const gone = names.filter((name) => !alive.has(name));
      if (gone.length > 0) forgotten += Number(await this.commands.eval(FORGET_EMPTY_CONSUMERS, 1, stream, MAILBOX_GROUP, ...gone));
    }
    return forgotten;
  }
}

function fields(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}
