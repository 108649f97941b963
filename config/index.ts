import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { envSchema, type ParsedEnv } from "./schema.ts";

export { envSchema } from "./schema.ts";

export type Config = Omit<ParsedEnv, "JWT_SECRET" | "SERVICE_TOKEN" | "SESSION_TOKEN_SECRET" | "RECON_SECRET_KEY" | "NODE_ID"> & {
  NODE_ID: string;
  DATA_DIR: string;
  /** `recon`: the key recon seals its sources' tokens and webhook secrets with */
  secrets: { jwt: string; service: string; session: string; recon: string };
};

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const SECRET_VARS = { jwt: "JWT_SECRET", service: "SERVICE_TOKEN", session: "SESSION_TOKEN_SECRET", recon: "RECON_SECRET_KEY" } as const;
type SecretName = keyof typeof SECRET_VARS;

/**
 * Parse the environment once. A wrong value throws a ConfigError naming the variable.
 * Secrets: production requires them; elsewhere missing ones are generated once and kept
 * under DATA_DIR/secrets.json so tokens survive restarts.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // an empty variable means "not set", as shells and CI often pass them
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const secretsGiven = { jwt: e.JWT_SECRET, service: e.SERVICE_TOKEN, session: e.SESSION_TOKEN_SECRET, recon: e.RECON_SECRET_KEY };
  const missing = (Object.keys(SECRET_VARS) as SecretName[]).filter((k) => !secretsGiven[k]);
  if (e.NODE_ENV === "production" && missing.length > 0) {
    throw new ConfigError(missing.map((k) => `${SECRET_VARS[k]}: required in production (at least 32 characters)`));
  }
  const kept: Partial<Record<SecretName, string>> = missing.length > 0 ? keptSecrets(dataDir) : {};
  const secrets = {
    jwt: secretsGiven.jwt ?? kept.jwt!,
    service: secretsGiven.service ?? kept.service!,
    session: secretsGiven.session ?? kept.session!,
    recon: secretsGiven.recon ?? kept.recon!,
  };
  const { JWT_SECRET, SERVICE_TOKEN, SESSION_TOKEN_SECRET, RECON_SECRET_KEY, ...rest } = e;
  return {
    ...rest,
    NODE_ID: e.NODE_ID ?? defaultNodeId(dataDir),
    DATA_DIR: dataDir,
    secrets,
  };
}

/**
 * The same on every start of the node on this host and data dir, so a restarted node is the
 * same mailbox consumer: it takes its own pending messages back at once, and no consumer is
 * added per start. Two nodes on one host need data dirs of their own anyway (shards).
 */
function defaultNodeId(dataDir: string): string {
  const host =
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .replace(/^-+/, "")
      .slice(0, 40) || "node";
  return `${host}-${createHash("sha256").update(dataDir).digest("hex").slice(0, 8)}`;
}

/** The kept secrets, each made once; a secret added since the file was written is made and kept too. */
function keptSecrets(dataDir: string): Record<SecretName, string> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "secrets.json");
  const kept: Partial<Record<SecretName, string>> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const make = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const absent = (Object.keys(SECRET_VARS) as SecretName[]).filter((k) => !kept[k]);
  for (const name of absent) kept[name] = make();
  if (absent.length > 0) writeFileSync(file, JSON.stringify(kept, null, 2), { mode: 0o600 });
  return kept as Record<SecretName, string>;
}
