/** One-for-one restart policy: exponential backoff, escalation past N restarts in T ms. */
export type SupervisionPolicy = {
  backoffMs: number;
  maxBackoffMs: number;
  intensity: number;
  periodMs: number;
};

export type Decision = { action: "restart"; delayMs: number } | { action: "escalate"; retryAfterMs: number };

/** `restarts` holds the times of earlier restarts; the new crash happened at `now`. */
export function decide(policy: SupervisionPolicy, restarts: number[], now: number): Decision {
  const recent = restarts.filter((t) => now - t < policy.periodMs);
  if (recent.length >= policy.intensity) {
    const oldest = Math.min(...recent);
    return { action: "escalate", retryAfterMs: Math.max(1000, policy.periodMs - (now - oldest)) };
  }
  const delayMs = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** recent.length);
  return { action: "restart", delayMs };
}
