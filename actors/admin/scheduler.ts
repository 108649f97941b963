import { Cron } from "croner";

/**
 * The admin worker's periodic jobs. Each is a croner timer of an actor kind, delivered as a
 * `timer` message into every hosted actor of that kind, so it runs between the actor's other
 * turns. Staff session cleanup belongs to identity (actors/identity, `session-cleanup`).
 */
export const ADMIN_JOBS = {
  /** drop yesterday's new players at each brand's local midnight (any quarter-hour time zone) */
  dailyReset: { name: "daily-reset", cron: "0,15,30,45 * * * *" },
  /** online players whose sessions passed the online window stop counting */
  onlineExpiry: { name: "online-expiry", cron: "* * * * *" },
} as const;

/** The next `count` times a job runs after `from`, to show or test a schedule. */
export function nextRuns(cron: string, from: Date, count: number): Date[] {
  return new Cron(cron, { paused: true }).nextRuns(count, from);
}
