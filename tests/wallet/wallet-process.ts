import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";
import type { Outcome } from "../../actors/runtime/index.ts";

export type Bet = { key: string; messageId: string; body: { provider: string; player: string; round: string; transactionUuid: string; amount: number } };
export type Reply = { key: string; messageId: string; outcome: Outcome };

/** A wallet node in a child process (`wallet-child.ts`): bets in on stdin, replies out on stdout. */
export class WalletNode {
  onReply: (reply: Reply) => void = () => {};
  /** resolves when the child stopped itself inside a commit (PAUSE_IN_COMMIT) */
  readonly paused: Promise<void>;
  private pausedNow = () => {};

  private constructor(private child: Subprocess<"pipe", "pipe", "inherit">) {
    this.paused = new Promise((resolve) => (this.pausedNow = resolve));
  }

  static async start(databaseUrl: string, brand: string, env: Record<string, string> = {}): Promise<WalletNode> {
    const child = Bun.spawn([process.execPath, `${import.meta.dir}/wallet-child.ts`], {
      env: { ...process.env, DATABASE_URL: databaseUrl, WALLET_BRAND: brand, ...env },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    const node = new WalletNode(child);
    await node.read();
    return node;
  }

  get pid(): number {
    return this.child.pid;
  }

  /** The kernel's word on the process: "T" once stopped. */
  state(): string {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  }

  send(bet: Bet) {
    this.child.stdin.write(`${JSON.stringify({ key: bet.key, messageId: bet.messageId, type: "bet", body: bet.body })}\n`);
    void this.child.stdin.flush();
  }

  signal(signal: "SIGCONT" | "SIGSTOP") {
    this.child.kill(signal);
  }

  kill() {
    this.child.kill("SIGKILL");
    return this.child.exited;
  }

  async stop() {
    this.child.stdin.end();
    this.child.kill("SIGTERM");
    await this.child.exited;
  }

  /** Resolves at the child's ready line; replies after it go to `onReply`. */
  private read(): Promise<void> {
    return new Promise((ready, failed) => {
      const decoder = new TextDecoder();
      let buffered = "";
      const reader = this.child.stdout.getReader();
      const pump = async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return failed(new Error("wallet child exited before it was ready"));
          buffered += decoder.decode(value, { stream: true });
          for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
            const line = JSON.parse(buffered.slice(0, nl));
            buffered = buffered.slice(nl + 1);
            if (line.ready) ready();
            else if (line.paused) this.pausedNow();
            else this.onReply(line as Reply);
          }
        }
      };
      void pump().catch(() => {});
    });
  }
}
