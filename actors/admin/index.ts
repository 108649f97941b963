import { type Client, protocolClient } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { topInfoProtocol } from "./messages.ts";

export { topInfoKind } from "./actor.ts";
export { adminKinds } from "./domain.ts";
export { topInfoProtocol } from "./messages.ts";
export { type AdminOptions, adminOptions, DEFAULT_ADMIN_OPTIONS } from "./options.ts";
export { type PlayerNote, playerNotePage, playerNoteView } from "./player-notes.ts";
export { ADMIN_JOBS, nextRuns } from "./scheduler.ts";
export * as adminTables from "./schema.ts";
export { type TopInfoCounters, topInfoCountersSchema } from "./top-info.ts";
export { startTopInfoFeed, TOP_INFO_EFFECTS, TOP_INFO_EVENT_TYPES } from "./top-info-events.ts";
export { LocalTopInfoHub, RedisTopInfoHub, type TopInfoHub, type TopInfoUpdate, topInfoHub } from "./top-info-hub.ts";

/** Typed asks to `admin@brand` (top-info counters, player notes). */
export const adminClient = (messenger: Messenger, brand: string): AdminClient => protocolClient(messenger, topInfoProtocol, "admin", brand);
export type AdminClient = Client<typeof topInfoProtocol>;
