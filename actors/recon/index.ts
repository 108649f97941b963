import { type Client, protocolClient } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { reconProtocol as protocol, type ReconProtocol } from "./messages.ts";

export { type ReconKindOptions, reconKind } from "./actor.ts";
export { RECON_STAFF, ReconDomain, type ReconEdgeView, type ReconOptions, reconEdgeView } from "./domain.ts";
export { RECON_EVENTS } from "./events.ts";
export { type BackoffPolicy, DEFAULT_BACKOFF } from "./loops/backoff.ts";
export { chatSender } from "./loops/telegram.ts";
export {
  MESSAGE_STATES,
  type MessageView,
  messageIdSchema,
  messageView,
  NOTICE_KINDS,
  type ReconProtocol,
  reconProtocol,
  SOURCE_KINDS,
  type SourceView,
  sourceIdSchema,
  sourceSettingsSchema,
  sourceView,
} from "./messages.ts";
export { cleanNotice, type ParsedNotice, parseNotice } from "./parser.ts";
export * as reconTables from "./schema.ts";
export { newWebhookSecret, SecretBox } from "./secret-box.ts";
export { DEFAULT_RULES, type ReconRules } from "./turn.ts";
export { PUBLIC_UPSTREAMS, UpstreamPolicy } from "./upstreams.ts";

/** Typed asks to `recon@brand`. */
export const reconClient = (messenger: Messenger, brand: string): ReconClient => protocolClient(messenger, protocol, "recon", brand);
export type ReconClient = Client<ReconProtocol>;
