/**
 * Seals recon's secrets (Pushbullet access tokens, Telegram bot tokens, webhook secrets) with
 * AES-256-GCM through Web Crypto. The key is derived (HKDF-SHA-256) from the node's
 * `RECON_SECRET_KEY`; each seal has a fresh 96-bit IV and is bound to its brand and source
 * (additional data), so a sealed value copied to another source does not open.
 * Sealed form: `v1.<iv>.<ciphertext and tag>`, base64url.
 */
export class SecretBox {
  private key: Promise<CryptoKey>;

  constructor(secret: string) {
    this.key = (async () => {
      const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("recon source secrets v1") },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
  }

  async seal(plain: string, brand: string, sourceId: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: boundTo(brand, sourceId) }, await this.key, new TextEncoder().encode(plain));
    return `v1.${b64(iv)}.${b64(new Uint8Array(sealed))}`;
  }

  /** The secret, or undefined when the value was not sealed by this key for this source. */
  async open(sealed: string, brand: string, sourceId: string): Promise<string | undefined> {
    const [version, iv, data] = sealed.split(".");
    if (version !== "v1" || !iv || !data) return undefined;
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv), additionalData: boundTo(brand, sourceId) }, await this.key, unb64(data));
      return new TextDecoder().decode(plain);
    } catch {
      return undefined;
    }
  }
}

/** A fresh webhook secret: 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return b64(crypto.getRandomValues(new Uint8Array(32)));
}

const boundTo = (brand: string, sourceId: string) => new TextEncoder().encode(`${brand}/${sourceId}`);
const b64 = (bytes: Uint8Array) => bytes.toBase64({ alphabet: "base64url", omitPadding: true });
const unb64 = (text: string) => Uint8Array.fromBase64(text, { alphabet: "base64url" });
