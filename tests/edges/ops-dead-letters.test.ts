import { expect, test } from "bun:test";
import { withoutSecrets } from "../../edges/internal/ops-schemas.ts";

test("a dead letter's body as /internal/ops/dlq lists it: fields named like secrets read [redacted], everything else as sent", () => {
  const body = {
    code: "evo",
    name: "Evo",
    secret: "a-provider-secret-of-32-characters!",
    by: { staffId: "s-1", username: "kim" },
    nested: [{ token: "t-1", amount: "100" }],
    passwordHash: "$argon2id$...",
    webhookSecret: null,
  };
  expect(withoutSecrets(body)).toEqual({
    code: "evo",
    name: "Evo",
    secret: "[redacted]",
    by: { staffId: "s-1", username: "kim" },
    nested: [{ token: "[redacted]", amount: "100" }],
    passwordHash: "[redacted]",
    webhookSecret: null,
  });
  expect(body.secret).toBe("a-provider-secret-of-32-characters!");
});
