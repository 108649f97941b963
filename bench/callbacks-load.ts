/**
 * The load generator of bench/callbacks.ts, run as its own process so the client does not
 * share the server's event loop: signs `standard` bets like a provider and sends them,
 * either closed-loop (`inFlight` workers, next request when the last is answered) or
 * open-loop at a fixed rate (latency counted from each request's scheduled time).
 * Prints one JSON line: { count, errors, seconds, p50, p99, max, cpuMs } (`cpuMs`: this
 * process's CPU time over the run).
 */
export type LoadPlan = {
  url: string;
  secret: string;
  tokens: string[];
  runId: string;
  mode: "closed" | "open";
  inFlight: number;
  /** requests per second, open loop */
  rate: number;
  seconds: number;
};

export type LoadResult = { count: number; errors: number; seconds: number; p50: number; p99: number; max: number; cpuMs: number; firstError?: string };

const encoder = new TextEncoder();

async function run(plan: LoadPlan): Promise<LoadResult> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(plan.secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  let sequence = 0;

  const bet = async (startedAt: number) => {
    const n = sequence++;
    const body = JSON.stringify({
      token: plan.tokens[n % plan.tokens.length],
      transaction_uuid: `${plan.runId}-${n}`,
      round: `${plan.runId}-r${n}`,
      game_code: "slot-1",
      amount: 1,
      currency: "KRW",
    });
    const bytes = encoder.encode(body);
    const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes)).toHex();
    try {
      const response = await fetch(plan.url, { method: "POST", body: bytes, headers: { "content-type": "application/json", "x-signature": signature } });
      const reply = (await response.json()) as { status?: string };
      if (response.status === 200 && reply.status === "RS_OK") count++;
      else {
        errors++;
        firstError ??= `${response.status} ${JSON.stringify(reply)}`;
      }
    } catch (error) {
      errors++;
      firstError ??= String(error);
    }
    latencies.push(performance.now() - startedAt);
  };

  const started = performance.now();
  const cpu = process.cpuUsage();
  const deadline = started + plan.seconds * 1000;
  if (plan.mode === "closed") {
    const worker = async () => {
      while (performance.now() < deadline) await bet(performance.now());
    };
    await Promise.all(Array.from({ length: plan.inFlight }, worker));
  } else {
    const interval = 1000 / plan.rate;
    const pending = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const due = started + i * interval;
      if (due >= deadline) break;
      const wait = due - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      const p = bet(due).finally(() => pending.delete(p));
      pending.add(p);
    }
    await Promise.all(pending);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { count, errors, seconds, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN, cpuMs: (used.user + used.system) / 1000, firstError };
}

if (import.meta.main) {
  const plan = (await Bun.file(process.argv[2]!).json()) as LoadPlan;
  console.log(JSON.stringify(await run(plan)));
}
