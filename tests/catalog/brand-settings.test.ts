import { describe, expect, test } from "bun:test";
import { brandConfigPatchSchema, brandSettings, DEFAULT_GAME_LAUNCH_URL, gameLaunchUrlSchema } from "../../actors/catalog/index.ts";

describe("brandSettings: the one typed reader of brand_config", () => {
  test("an empty config (or an unknown brand) reads as the defaults", () => {
    const defaults = {
      timezone: "UTC",
      gameLaunchUrl: DEFAULT_GAME_LAUNCH_URL,
      limits: { minDeposit: null, maxDeposit: null, minWithdrawal: null, maxWithdrawal: null, dailyWithdrawal: null },
      withdrawal: { maxPerDay: null, requireBankAccount: false, blockedWhileRolling: true },
      rolling: { depositMultiple: null, bonusMultiple: null, categoryRates: {}, expiryDays: null },
      agent: { maxDepth: 3, settlementPeriod: "daily" as const, transfersToPlayers: false, transfersFromPlayers: false },
      promotion: { rebateRates: {}, rebatePeriod: "daily" as const, lossbackRate: 0, lossbackPeriod: "daily" as const, lossbackMinLoss: 0n, lossbackCap: null },
    };
    expect(brandSettings({ config: {} })).toEqual(defaults);
    expect(brandSettings(undefined)).toEqual(defaults);
  });

  test("stored settings read typed: money as bigint minor units", () => {
    const patch = brandConfigPatchSchema.parse({
      timezone: "Asia/Seoul",
      gameLaunchUrl: "https://games.example/{provider}/{game}?t={token}",
      limits: { maxDeposit: 5_000_000, dailyWithdrawal: "2000000" },
      withdrawal: { maxPerDay: 3, requireBankAccount: true },
      rolling: { depositMultiple: 1.5, categoryRates: { slots: 1, live_casino: 0.2 } },
      agent: { maxDepth: 4, settlementPeriod: "weekly", transfersToPlayers: true },
      promotion: { rebateRates: { slots: 50 }, lossbackRate: 1000, lossbackCap: "50000" },
    });
    const settings = brandSettings({ config: JSON.parse(JSON.stringify(patch)) });
    expect(settings).toMatchObject({
      timezone: "Asia/Seoul",
      gameLaunchUrl: "https://games.example/{provider}/{game}?t={token}",
      limits: { maxDeposit: 5_000_000n, dailyWithdrawal: 2_000_000n, minDeposit: null },
      withdrawal: { maxPerDay: 3, requireBankAccount: true, blockedWhileRolling: true },
      rolling: { depositMultiple: 1.5, categoryRates: { slots: 1, live_casino: 0.2 }, expiryDays: null },
      agent: { maxDepth: 4, settlementPeriod: "weekly", transfersToPlayers: true, transfersFromPlayers: false },
      promotion: { rebateRates: { slots: 50 }, rebatePeriod: "daily", lossbackRate: 1000, lossbackMinLoss: 0n, lossbackCap: 50_000n },
    });
  });

  test("a stored value that breaks its rule reads as unset; keys nothing reads are ignored", () => {
    const settings = brandSettings({ config: { timezone: "Mars/Olympus", limits: { maxDeposit: "-5" }, features: { coupons: true }, withdrawal: { maxPerDay: 3 } } });
    expect(settings.timezone).toBe("UTC");
    expect(settings.limits.maxDeposit).toBeNull();
    expect(settings.withdrawal.maxPerDay).toBe(3);
    expect(settings).not.toHaveProperty("features");
  });

  test("one settings object per config, which no reader can change for the others", () => {
    const brand = { config: { withdrawal: { maxPerDay: 2 } } };
    const settings = brandSettings(brand);
    expect(brandSettings(brand)).toBe(settings);
    expect(() => {
      (settings.withdrawal as { maxPerDay: number | null }).maxPerDay = 100;
    }).toThrow();
  });
});

describe("gameLaunchUrl", () => {
  test("an https URL or a path of the brand's own site, with {token}", () => {
    for (const ok of ["/play/{provider}/{game}?token={token}", "https://games.example/{provider}?t={token}", "https://cdn.example:8443/launch#{token}"]) {
      expect(gameLaunchUrlSchema.safeParse(ok).success).toBe(true);
    }
    for (const bad of [
      "/play/{game}",
      "https://{token}.evil.example/x",
      "//evil.example/{token}",
      "ftp://games.example/{token}",
      "https:///{token}",
      "/a\\b/{token}",
      '/x/{token}"onload=',
      "{token}",
    ]) {
      expect({ bad, ok: gameLaunchUrlSchema.safeParse(bad).success }).toEqual({ bad, ok: false });
    }
  });
});
