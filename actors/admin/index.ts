import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { topInfoProtocol } from "./messages.ts";

export { topInfoKind } from "./actor.ts";
export { topInfoProtocol } from "./messages.ts";
export { startTopInfoFeed, TOP_INFO_EVENT_TYPES, TOP_INFO_EFFECTS } from "./top-info-events.ts";
export { topInfoHub, LocalTopInfoHub, RedisTopInfoHub, type TopInfoHub, type TopInfoUpdate } from "./top-info-hub.ts";
export { topInfoCountersSchema, type TopInfoCounters } from "./top-info.ts";
export { adminOptions, DEFAULT_ADMIN_OPTIONS, type AdminOptions } from "./options.ts";
export { ADMIN_JOBS, nextRuns } from "./scheduler.ts";
export * as adminTables from "./schema.ts";
export { playerNoteView, playerNotePage, type PlayerNote } from "./player-notes.ts";
export { adminKinds } from "./domain.ts";

/** Typed asks to `admin@brand` (top-info counters, player notes). */
export const adminClient = (messenger: Messenger, brand: string): AdminClient => protocolClient(messenger, topInfoProtocol, "admin", brand);
export type AdminClient = Client<typeof topInfoProtocol>;
