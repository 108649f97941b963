/**
 * The callback signature: lowercase hex HMAC-SHA256 of the raw body with the provider's
 * secret (Web Crypto). `crypto.subtle.verify` compares in constant time.
 */
const encoder = new TextEncoder();
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

export function signingKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), HMAC, false, ["sign", "verify"]);
}

export async function signBody(secret: string | CryptoKey, body: string | Uint8Array): Promise<string> {
  const key = typeof secret === "string" ? await signingKey(secret) : secret;
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes as BufferSource)).toHex();
}

/** True when `signature` is the HMAC of `body` under one of `keys` (current and, during a rotation, previous). */
export async function signatureMatches(keys: readonly CryptoKey[], signature: string | undefined, body: Uint8Array): Promise<boolean> {
  if (!signature || !HEX_SIGNATURE.test(signature)) return false;
  const mac = Uint8Array.fromHex(signature);
  for (const key of keys) {
    if (await crypto.subtle.verify("HMAC", key, mac as BufferSource, body as BufferSource)) return true;
  }
  return false;
}

/** A fresh provider secret: 32 random bytes, base64url. */
export function newProviderSecret(): string {
  return crypto.getRandomValues(new Uint8Array(32)).toBase64({ alphabet: "base64url", omitPadding: true });
}
