import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import { playerNoteBody, playerNotePage, playerNotesQuery, playerNoteView } from "./player-notes.ts";
import { topInfoCountersSchema } from "./top-info.ts";
import { fedEventBody, TOP_INFO_EVENT_TYPES } from "./top-info-events.ts";

/**
 * `admin@<brand>`: the brand's top-info counters and staff notes on players. Commands staff
 * cause carry `by`; their change, audit event and outcome commit together. Domain events
 * arrive under their own types.
 */
export const topInfoProtocol = {
  topInfo: { body: z.object({}), reply: z.object({ counters: topInfoCountersSchema, version: z.number() }) },
  acknowledgeAlarms: { body: z.object({ by: actingStaffSchema }), reply: z.object({ cleared: z.number().int() }) },
  addPlayerNote: { body: playerNoteBody, reply: playerNoteView },
  playerNotes: { body: playerNotesQuery, reply: playerNotePage },
} as const;

/** The messages whose outcome is journaled: a redelivered one replays its first reply. */
export const ADMIN_COMMANDS: ReadonlySet<string> = new Set(["acknowledgeAlarms", "addPlayerNote"]);

export const topInfoSchemas = {
  ...Object.fromEntries(Object.entries(topInfoProtocol).map(([type, p]) => [type, p.body])),
  ...Object.fromEntries(TOP_INFO_EVENT_TYPES.map((type) => [type, fedEventBody])),
};
