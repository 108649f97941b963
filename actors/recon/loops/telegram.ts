import { type BackoffPolicy, errorLine, type IntakeLoop, type LoopSink, nextWait, pause, UpstreamError } from "./backoff.ts";

type TelegramMessage = { message_id: number; date: number; text?: string; caption?: string; chat: { id: number | string } };
type Update = { update_id: number; message?: TelegramMessage; channel_post?: TelegramMessage };
type Reply = { ok: boolean; result?: Update[]; error_code?: number; description?: string; parameters?: { retry_after?: number } };

export type TelegramSource = { id: string; token: string; apiUrl: string; chatIds: string[]; cursor: string | null };

/**
 * A Telegram bot's long poll. `getUpdates` from the stored offset; the updates' messages are
 * stored with the next offset in one commit, and only then is that offset asked for (which
 * confirms the updates to Telegram), so a crash or restart resumes where the shard says and a
 * redelivered update is stored once. 429 waits `retry_after`; 409 (a webhook is set, or another
 * poller runs) and outages back off; every failure is reported to the actor.
 */
export function telegramLoop(source: TelegramSource, sink: LoopSink, policy: BackoffPolicy): IntakeLoop {
  const abort = new AbortController();
  let offset = source.cursor === null ? undefined : Number(source.cursor);
  let connected = false;

  const poll = async (): Promise<Update[]> => {
    const res = await fetch(`${source.apiUrl}/bot${source.token}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // the first call after a start or a failure answers at once, so the loop's health is known at once
      body: JSON.stringify({ offset, timeout: connected ? policy.pollSeconds : 0, limit: 100, allowed_updates: ["message", "channel_post"] }),
      signal: abort.signal,
    });
    const reply = (await res.json().catch(() => ({ ok: false, description: `HTTP ${res.status}` }))) as Reply;
    if (!reply.ok || !Array.isArray(reply.result)) {
      throw new UpstreamError(`telegram ${reply.error_code ?? res.status}: ${reply.description ?? "no result"}`, reply.error_code ?? res.status, reply.parameters?.retry_after);
    }
    return reply.result;
  };

  const run = async () => {
    for (let failures = 0; !abort.signal.aborted; ) {
      try {
        const updates = await poll();
        if (!connected) await sink.status((connected = true), null);
        if (updates.length > 0) {
          const next = Math.max(...updates.map((u) => u.update_id)) + 1;
          await sink.deliver(
            updates.flatMap((u) => itemOf(u, source.chatIds)),
            String(next),
          );
          offset = next;
        }
        failures = 0;
      } catch (error) {
        if (abort.signal.aborted) break;
        connected = false;
        await sink.status(false, errorLine(error)).catch(() => {});
        await pause(nextWait(policy, error, failures++), abort.signal);
      }
    }
  };
  const running = run();
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}

function itemOf(update: Update, chatIds: string[]) {
  const message = update.message ?? update.channel_post;
  const text = message?.text ?? message?.caption;
  if (!message || !text) return [];
  if (chatIds.length > 0 && !chatIds.includes(String(message.chat.id))) return [];
  return [{ externalId: `${message.chat.id}:${message.message_id}`, text, sender: chatSender(text, chatIds), receivedAt: message.date * 1000 }];
}

/** Forwarding apps put the bank's number in a header line. */
export function senderIn(text: string): string | null {
  return /보낸사람\s*:\s*([0-9+-]{3,20})/.exec(text)?.[1] ?? null;
}

/**
 * The sender a chat post names, believed only from a chat the source lists (the forwarding
 * phone's): with no list anyone can message the bot and write any sender line, so the post
 * names none and is never matched without staff.
 */
export function chatSender(text: string, chatIds: readonly string[]): string | null {
  return chatIds.length > 0 ? senderIn(text) : null;
}
