import { type BackoffPolicy, errorLine, type IntakeLoop, type LoopSink, nextWait, pause, UpstreamError } from "./backoff.ts";
import { senderIn } from "./telegram.ts";

type Notification = { thread_id?: string; title?: string; body?: string; timestamp?: number };
type Push = {
  type?: string;
  iden?: string;
  encrypted?: boolean;
  source_device_iden?: string;
  notifications?: Notification[];
  package_name?: string;
  notification_id?: string;
  title?: string;
  body?: string;
  created?: number;
  modified?: number;
  active?: boolean;
  /** `self`: pushed by one of the account's own devices; `incoming`: by another Pushbullet user */
  direction?: string;
};
type Item = { externalId: string; text: string; sender: string | null; receivedAt: number };

/** what one ingest takes */
const INTAKE_BATCH = 100;
/** a catch-up reads at most this many pages of 100; past that the cursor stays, and the next round reads again (stored ids are not stored twice) */
const MAX_HISTORY_PAGES = 20;

export type PushbulletSource = { id: string; token: string; apiUrl: string; streamUrl: string; deviceIdens: string[]; cursor: string | null };

/**
 * Pushbullet: the realtime stream (`/websocket/<token>`) carries mirrored SMS as `sms_changed`
 * pushes and app notifications as `mirror` pushes; a `tickle` says the push history changed,
 * read with `GET /v2/pushes?modified_after=<cursor>` (forwarding apps post notes there). The
 * history is also read on every (re)connect and after each failed one, so a gap or a stream
 * that will not open loses nothing. A stream silent past `silenceMs` is closed and reopened;
 * 429s wait for `X-Ratelimit-Reset`. The cursor (the last `modified` read) is stored with the
 * messages, so a restart reads on from there.
 */
export function pushbulletLoop(source: PushbulletSource, sink: LoopSink, policy: BackoffPolicy): IntakeLoop {
  const abort = new AbortController();
  let cursor = source.cursor ?? "0";
  let connected = false;
  const accepts = (device?: string) => source.deviceIdens.length === 0 || (device !== undefined && source.deviceIdens.includes(device));

  /** Every push modified since the cursor, page by page (newest first), stored in batches the actor takes; the cursor moves with the last. */
  const catchUp = async () => {
    const pushes: Push[] = [];
    let page: string | undefined;
    for (let pages = 0; pages < MAX_HISTORY_PAGES; pages++) {
      const query = `modified_after=${encodeURIComponent(cursor)}&active=true&limit=100${page ? `&cursor=${encodeURIComponent(page)}` : ""}`;
      const res = await fetch(`${source.apiUrl}/v2/pushes?${query}`, { headers: { "Access-Token": source.token }, signal: abort.signal });
      if (!res.ok) throw rateLimitedOr(res, await res.text().catch(() => ""));
      const body = (await res.json()) as { pushes?: Push[]; cursor?: string };
      pushes.push(...(body.pushes ?? []));
      page = body.cursor;
      if (!page) break;
    }
    if (pushes.length === 0) return;
    // newest first: the cursor may pass only what was read to the end
    const newest = page ? undefined : String(Math.max(...pushes.map((p) => p.modified ?? 0)));
    // another user can push to the account: only its own devices' pushes are read
    const items = pushes
      .filter((p) => p.active !== false && p.direction === "self" && accepts(p.source_device_iden))
      .flatMap(historyItem)
      .reverse();
    for (let i = 0; i < Math.max(items.length, 1); i += INTAKE_BATCH) {
      const last = i + INTAKE_BATCH >= items.length;
      await sink.deliver(items.slice(i, i + INTAKE_BATCH), last ? newest : undefined);
    }
    if (newest !== undefined) cursor = newest;
  };

  const stream = () =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${source.streamUrl}/websocket/${source.token}`);
      let silence: ReturnType<typeof setTimeout> | undefined;
      let chain = Promise.resolve();
      const finish = (error?: unknown) => {
        clearTimeout(silence);
        abort.signal.removeEventListener("abort", onAbort);
        ws.close();
        error ? reject(error) : resolve();
      };
      const onAbort = () => finish();
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => finish(new UpstreamError(`pushbullet stream silent for ${policy.silenceMs} ms`, null)), policy.silenceMs);
      };
      abort.signal.addEventListener("abort", onAbort, { once: true });
      ws.onopen = () => {
        heard();
        chain = chain.then(async () => {
          if (!connected) await sink.status((connected = true), null);
          await catchUp();
        });
        chain.catch(finish);
      };
      ws.onmessage = (event) => {
        heard();
        chain = chain.then(() => handleFrame(String(event.data)));
        chain.catch(finish);
      };
      // a refused handshake says its status only in the message ("Expected 101 status code: 429"); errorLine cuts the token from the URL in it
      ws.onerror = (event) => {
        const message = (event as ErrorEvent).message ?? "";
        const status = Number(/status code: (\d{3})/.exec(message)?.[1] ?? Number.NaN);
        finish(new UpstreamError(`pushbullet stream failed${message ? `: ${message}` : ""}`, Number.isNaN(status) ? null : status));
      };
      ws.onclose = (event) => finish(new UpstreamError(`pushbullet stream closed (${event.code})`, null));
    });

  const handleFrame = async (data: string) => {
    const frame = JSON.parse(data) as { type?: string; subtype?: string; push?: Push };
    if (frame.type === "tickle" && frame.subtype === "push") return catchUp();
    if (frame.type !== "push" || !frame.push) return;
    const push = frame.push;
    if (push.encrypted) throw new UpstreamError("pushbullet end-to-end encryption is on: recon cannot read the SMS", null);
    if (!accepts(push.source_device_iden)) return;
    const items = streamItems(push);
    if (items.length > 0) await sink.deliver(items);
  };

  const run = async () => {
    for (let failures = 0; !abort.signal.aborted; ) {
      try {
        await stream();
        failures = 0;
      } catch (error) {
        if (abort.signal.aborted) break;
        connected = false;
        await sink.status(false, errorLine(error)).catch(() => {});
        // the stream will not hold: the history is the fallback, so nothing waits for the stream's return
        let wait = nextWait(policy, error, failures++);
        try {
          await catchUp();
        } catch (historyError) {
          if (abort.signal.aborted) break;
          await sink.status(false, errorLine(historyError)).catch(() => {});
          wait = Math.max(wait, nextWait(policy, historyError, failures));
        }
        await pause(wait, abort.signal);
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

function rateLimitedOr(res: Response, text: string): UpstreamError {
  const reset = Number(res.headers.get("x-ratelimit-reset"));
  const retryAfter = res.status === 429 && Number.isFinite(reset) && reset > 0 ? Math.max(1, reset - Math.floor(Date.now() / 1000)) : undefined;
  return new UpstreamError(`pushbullet ${res.status}: ${text.slice(0, 200)}`, res.status, retryAfter);
}

/** A stream push: mirrored SMS (an empty list is a read or delete signal) or an app's notification. */
function streamItems(push: Push): Item[] {
  if (push.type === "sms_changed") {
    return (push.notifications ?? [])
      .filter((n) => typeof n.body === "string" && n.body !== "")
      .map((n) => ({
        // two SMS of one thread can share a second: the text tells them apart
        externalId: `sms:${push.source_device_iden ?? "-"}:${n.thread_id ?? "-"}:${n.timestamp ?? 0}:${Bun.hash(n.body!).toString(36)}`,
        text: n.body!,
        sender: n.title ?? senderIn(n.body!),
        receivedAt: (n.timestamp ?? Date.now() / 1000) * 1000,
      }));
  }
  if (push.type === "mirror" && push.body) {
    const text = push.title ? `${push.title}\n${push.body}` : push.body;
    // an app's notification is the app's: its package is its sender (a bank's app, listed among the source's senders)
    const sender = push.package_name && /^[A-Za-z0-9_.]{1,64}$/.test(push.package_name) ? push.package_name : null;
    return [
      {
        externalId: `mirror:${push.source_device_iden ?? "-"}:${push.package_name ?? "-"}:${push.notification_id ?? "-"}:${Bun.hash(text).toString(36)}`,
        text,
        sender,
        receivedAt: Date.now(),
      },
    ];
  }
  return [];
}

/** A note a forwarding app posted to the push history. */
function historyItem(push: Push): Item[] {
  if (!push.iden || !push.body) return [];
  return [{ externalId: `push:${push.iden}`, text: push.body, sender: push.title ?? senderIn(push.body), receivedAt: Math.floor((push.created ?? push.modified ?? 0) * 1000) }];
}
