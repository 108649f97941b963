import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../config/index.ts";
import { tempDir } from "../support/services.ts";

describe("loadConfig", () => {
  test("defaults, with dev secrets generated once and kept under DATA_DIR", () => {
    const dir = tempDir("config");
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.GATEWAY_PORT).toBe(8080);
    expect(first.DATABASE_URL).toBeUndefined();
    expect(first.secrets.jwt.length).toBeGreaterThanOrEqual(32);
    expect(existsSync(join(dir, "secrets.json"))).toBe(true);
    expect(loadConfig({ DATA_DIR: dir }).secrets).toEqual(first.secrets);
  });

  test("a wrong value names the variable and what is expected", () => {
    const attempt = () => loadConfig({ DATA_DIR: tempDir("config"), GATEWAY_PORT: "eighty", REDIS_URL: "localhost:6379" });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).toContain("GATEWAY_PORT");
      expect((error as Error).message).toContain("REDIS_URL: a redis:// URL");
    }
  });

  test("production refuses to start without its secrets", () => {
    expect(() => loadConfig({ DATA_DIR: tempDir("config"), NODE_ENV: "production" })).toThrow("JWT_SECRET: required in production");
    expect(() => loadConfig({ DATA_DIR: tempDir("config"), NODE_ENV: "production" })).toThrow("RECON_SECRET_KEY: required in production");
  });

  test("a secret added since the kept file was written is made once and kept beside the others", () => {
    const dir = tempDir("config");
    const older = { jwt: "j".repeat(43), service: "s".repeat(43), session: "t".repeat(43) };
    writeFileSync(join(dir, "secrets.json"), JSON.stringify(older));
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.secrets).toMatchObject(older);
    expect(first.secrets.recon.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).secrets.recon).toBe(first.secrets.recon);
  });

  test("empty variables count as unset", () => {
    expect(loadConfig({ DATA_DIR: tempDir("config"), DATABASE_URL: "", REDIS_URL: "" }).REDIS_URL).toBeUndefined();
  });
});
