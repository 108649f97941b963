import { waitFor } from "../support/services.ts";

export type SocketMessage = {
  type: string;
  brand?: string;
  counters?: Record<string, number>;
  brands?: Record<string, { counters: Record<string, number>; version?: number }>;
  code?: string;
  [k: string]: unknown;
};

/** A real WebSocket client (Bun's) that keeps every message with the time it arrived. */
export class TopInfoClient {
  readonly messages: { at: number; message: SocketMessage }[] = [];
  closed: { code: number; reason: string } | undefined;
  private ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.onmessage = (e) => this.messages.push({ at: performance.now(), message: JSON.parse(String(e.data)) });
    this.ws.onclose = (e) => (this.closed = { code: e.code, reason: e.reason });
  }

  async open(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) return;
    await new Promise<void>((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error("websocket failed to open"));
    });
  }

  send(message: unknown) {
    this.ws.send(JSON.stringify(message));
  }

  async authenticate(token: string): Promise<SocketMessage> {
    await this.open();
    this.send({ type: "auth", token });
    return this.next((m) => m.type === "ready" || m.type === "error");
  }

  /** The first message (from `since`, a performance.now() time) that matches. */
  async next(match: (m: SocketMessage) => boolean, since = 0, timeoutMs = 3000): Promise<SocketMessage & { arrivedAt: number }> {
    const hit = await waitFor(() => this.messages.find((m) => m.at >= since && match(m.message)), { timeoutMs, what: "a matching socket message" });
    return { ...hit.message, arrivedAt: hit.at };
  }

  close() {
    this.ws.close();
  }
}

export const countersOf = (brand: string, key: string, value: number) => (m: SocketMessage) => m.type === "counters" && m.brand === brand && m.counters?.[key] === value;
