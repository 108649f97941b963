type Message = { message_id: number; date: number; text: string; chat: { id: number; type: string; title?: string }; from?: { id: number; is_bot: boolean; first_name: string } };
type Update = { update_id: number; message?: Message; channel_post?: Message };
type Answer = { status: number; body: unknown };
type Poll = { resolve: (answer: Answer) => void; timer: ReturnType<typeof setTimeout> };

/**
 * A local Telegram Bot API for one bot, as its documentation describes `getUpdates`: updates
 * stay until a call asks with an offset past them; a long poll waits up to `timeout` seconds
 * for one; a second poller ends the first with 409; a wrong token is 401. Tests script errors
 * (`failNext`) and outages (`down` stops the server, `up` starts it on the same port).
 */
export class FakeTelegram {
  private updates: Update[] = [];
  private nextUpdate = 1;
  private nextMessage = 1;
  private scripted: Answer[] = [];
  private poll: Poll | undefined;
  private server: ReturnType<typeof Bun.serve>;
  private port: number;
  /** the offset of every getUpdates call, in order */
  readonly offsets: (number | undefined)[] = [];

  constructor(readonly token = `${Math.floor(Math.random() * 1e9)}:AAH${crypto.randomUUID().replace(/-/g, "")}`) {
    this.server = this.listen(0);
    this.port = this.server.port!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A phone posts a bank SMS into a chat the bot is in. */
  post(chatId: number, text: string, kind: "message" | "channel_post" = "message"): number {
    const message: Message = { message_id: this.nextMessage++, date: Math.floor(Date.now() / 1000), text, chat: { id: chatId, type: kind === "message" ? "group" : "channel" } };
    const update: Update = { update_id: this.nextUpdate++, [kind]: message };
    this.updates.push(update);
    this.answerWaiting();
    return update.update_id;
  }

  failNext(...answers: ("429" | "409-webhook" | "409-conflict" | "401" | "502")[]) {
    for (const a of answers) this.scripted.push(ERRORS[a]);
  }

  down() {
    this.poll?.resolve({ status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } });
    this.server.stop(true);
  }

  up() {
    this.server = this.listen(this.port);
  }

  stop() {
    this.down();
  }

  private listen(port: number) {
    return Bun.serve({ hostname: "127.0.0.1", port, fetch: (req) => this.handle(req) });
  }

  private async handle(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(pathname);
    if (!match) return Response.json({ ok: false, error_code: 404, description: "Not Found" }, { status: 404 });
    if (match[1] !== this.token) return Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 });
    if (match[2] !== "getUpdates") return Response.json({ ok: false, error_code: 404, description: "Not Found: method not found" }, { status: 404 });
    const params = (req.method === "POST" ? await req.json() : Object.fromEntries(new URL(req.url).searchParams)) as { offset?: number; timeout?: number; limit?: number };
    this.offsets.push(params.offset === undefined ? undefined : Number(params.offset));
    const scripted = this.scripted.shift();
    if (scripted) return Response.json(scripted.body, { status: scripted.status });
    if (params.offset !== undefined) this.updates = this.updates.filter((u) => u.update_id >= Number(params.offset));
    // a second poller ends the first one's call
    this.poll?.resolve(ERRORS["409-conflict"]);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const answer = await new Promise<Answer>((resolve) => {
      if (this.updates.length > 0) return resolve(this.page(limit));
      const timer = setTimeout(() => resolve(this.page(limit)), Math.min(Number(params.timeout ?? 0), 50) * 1000);
      this.poll = { resolve: (a) => (clearTimeout(timer), resolve(a)), timer };
      this.waitingLimit = limit;
    });
    this.poll = undefined;
    return Response.json(answer.body, { status: answer.status });
  }

  private waitingLimit = 100;

  private page(limit: number): Answer {
    return { status: 200, body: { ok: true, result: this.updates.slice(0, limit) } };
  }

  private answerWaiting() {
    this.poll?.resolve(this.page(this.waitingLimit));
  }
}

const ERRORS: Record<"429" | "409-webhook" | "409-conflict" | "401" | "502", Answer> = {
  "429": { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } },
  "409-webhook": {
    status: 409,
    body: { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" },
  },
  "409-conflict": {
    status: 409,
    body: { ok: false, error_code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" },
  },
  "401": { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } },
  "502": { status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } },
};
