import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { reconProtocol as protocol, type ReconProtocol } from "./messages.ts";

export { reconKind, type ReconKindOptions } from "./actor.ts";
export { ReconDomain, RECON_STAFF, reconEdgeView, type ReconEdgeView, type ReconOptions } from "./domain.ts";
export { PUBLIC_UPSTREAMS, UpstreamPolicy } from "./upstreams.ts";
export { RECON_EVENTS } from "./events.ts";
export { reconProtocol, sourceIdSchema, messageIdSchema, sourceSettingsSchema, sourceView, messageView, SOURCE_KINDS, MESSAGE_STATES, NOTICE_KINDS, type ReconProtocol, type SourceView, type MessageView } from "./messages.ts";
export { newWebhookSecret, SecretBox } from "./secret-box.ts";
export { DEFAULT_BACKOFF, type BackoffPolicy } from "./loops/backoff.ts";
export { chatSender } from "./loops/telegram.ts";
export { DEFAULT_RULES, type ReconRules } from "./turn.ts";
export { parseNotice, cleanNotice, type ParsedNotice } from "./parser.ts";
export * as reconTables from "./schema.ts";

/** Typed asks to `recon@brand`. */
export const reconClient = (messenger: Messenger, brand: string): ReconClient => protocolClient(messenger, protocol, "recon", brand);
export type ReconClient = Client<ReconProtocol>;
