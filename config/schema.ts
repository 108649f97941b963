import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes");

/** Every setting the platform reads, as environment variables. Parsed once at start. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NODE_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a lowercase slug like node-1")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "a postgres:// URL")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "a redis:// URL")
    .optional(),
  /** prepended to every Redis key and channel: environments (or test runs) sharing a Redis never meet */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{0,40}$/, "lowercase letters, digits, ':', '_' or '-', at most 40")
    .default(""),
  HOST: z.string().default("127.0.0.1"),
  GATEWAY_PORT: port.default(8080),
  AGENT_PORT: port.default(8081),
  ADMIN_PORT: port.default(8082),
  CALLBACK_PORT: port.default(8083),
  INTERNAL_PORT: port.default(8084),
  JWT_SECRET: z.string().min(32, "at least 32 characters").optional(),
  SERVICE_TOKEN: z.string().min(32, "at least 32 characters").optional(),
  SESSION_TOKEN_SECRET: z.string().min(32, "at least 32 characters").optional(),
  /** recon seals its sources' tokens and webhook secrets with a key made from this (AES-GCM) */
  RECON_SECRET_KEY: z.string().min(32, "at least 32 characters").optional(),
  /**
   * Hosts (`name` or `name:port`, comma-separated) a recon source's apiUrl or streamUrl may name
   * besides the public Pushbullet and Telegram services: a proxy, or a test's local fake. Staff
   * cannot set this; a source naming any other host is refused, and its loop is not started.
   */
  RECON_UPSTREAM_HOSTS: z
    .string()
    .regex(/^([A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*)?$/, "host names or host:port, comma-separated")
    .default("")
    .transform((v) => (v === "" ? [] : v.split(","))),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  ASK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  MAILBOX_MAX_QUEUED: z.coerce.number().int().positive().default(1000),
  /** asks to actors hosted on this node are delivered in process, not through their mailbox (docs/architecture.md, "Local delivery") */
  LOCAL_ASKS: flag.default(true),
  MAILBOX_MAX_DELIVERIES: z.coerce.number().int().positive().default(5),
  MAILBOX_CLAIM_IDLE_MS: z.coerce.number().int().positive().default(30_000),
  ACTOR_IDLE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  SHARD_IDLE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 60_000),
  RESTART_BACKOFF_MS: z.coerce.number().int().positive().default(100),
  RESTART_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(10_000),
  RESTART_INTENSITY: z.coerce.number().int().positive().default(5),
  RESTART_PERIOD_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * With REDIS_URL, brands are placed on nodes by leases that live this long unless renewed
   * (every third of it): a dead node's brands are taken over a lease time after its last renewal
   */
  LEASE_TTL_MS: z.coerce.number().int().min(300).max(60_000).default(3000),
  /** SIGTERM: the node exits within this long whatever is down (edges, turns and stores get what is left of it) */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** PostgreSQL: a lock wait past this fails (a paused writer's epoch row, say) and the turn retries */
  PG_LOCK_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** PostgreSQL: a session idle inside a transaction this long is ended by the server (a paused or cut-off writer) */
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** PostgreSQL: no statement runs longer */
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** The top-info websocket checks its staff session this often: a logout, a disabled account or a narrowed brand scope takes effect within it */
  STAFF_SOCKET_RECHECK_MS: z.coerce.number().int().min(50).default(30_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  DEMO_DATA: flag.default(false),
});

export type Env = z.input<typeof envSchema>;
export type ParsedEnv = z.infer<typeof envSchema>;
