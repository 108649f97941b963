import type { SourceSettings, SourceView } from "./messages.ts";

/** The public services a source's loop reaches, with its token: the only ones unless the operator allows more. */
export const PUBLIC_UPSTREAMS = {
  telegram: { apiUrl: "https://api.telegram.org" },
  pushbullet: { apiUrl: "https://api.pushbullet.com", streamUrl: "wss://stream.pushbullet.com" },
} as const;

type UrlField = "apiUrl" | "streamUrl";

/**
 * Where a source's token may be sent. Staff choose a source's `apiUrl` and `streamUrl`, but
 * only among the public services of its kind, or a host the operator named in
 * `RECON_UPSTREAM_HOSTS` (a proxy, a test's local fake): any other host would be handed the
 * token, and be a way for staff to make the node call anywhere. `extraHosts` entries are a
 * host name (any port) or `host:port`.
 */
export class UpstreamPolicy {
  constructor(private readonly extraHosts: readonly string[] = []) {}

  /** Why a source of `kind` may not have these settings, or null when every URL it names is allowed. */
  refusal(kind: SourceView["kind"], settings: Pick<SourceSettings, UrlField>): string | null {
    for (const field of ["apiUrl", "streamUrl"] as const) {
      const given = settings[field];
      if (given === undefined) continue;
      const official = kind === "webhook" ? undefined : (PUBLIC_UPSTREAMS[kind] as Partial<Record<UrlField, string>>)[field];
      if (!this.allows(given, official)) {
        const choices = official ? `${official} (the default)` : "none";
        return `settings.${field}: a ${kind} source reaches ${choices}; other hosts only when the operator lists them in RECON_UPSTREAM_HOSTS`;
      }
    }
    return null;
  }

  /** The URLs a source's loop uses: its own when allowed, else null (the loop is not started). */
  urlsOf(kind: "telegram" | "pushbullet", settings: Pick<SourceSettings, UrlField>): { apiUrl: string; streamUrl: string } | null {
    if (this.refusal(kind, settings) !== null) return null;
    const defaults: Partial<Record<UrlField, string>> = PUBLIC_UPSTREAMS[kind];
    return { apiUrl: settings.apiUrl ?? defaults.apiUrl ?? "", streamUrl: settings.streamUrl ?? defaults.streamUrl ?? "" };
  }

  private allows(given: string, official: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      return false;
    }
    if (url.username !== "" || url.password !== "") return false;
    if (official !== undefined && url.origin === new URL(official).origin) return true;
    return this.extraHosts.some((h) => h === url.host || h === url.hostname);
  }
}
