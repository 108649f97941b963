import { z } from "zod";
import { fedEventBody, TOP_INFO_EVENT_TYPES } from "./top-info-events.ts";
import { topInfoCountersSchema } from "./top-info.ts";
import { playerNoteBody, playerNoteView } from "./player-notes.ts";

/** `admin@<brand>`: the brand's top-info counters and staff notes on players. Domain events arrive under their own types. */
export const topInfoProtocol = {
  topInfo: { body: z.object({}), reply: z.object({ counters: topInfoCountersSchema, version: z.number() }) },
  acknowledgeAlarms: { body: z.object({ by: z.string() }), reply: z.object({ cleared: z.number() }) },
  addPlayerNote: { body: playerNoteBody, reply: playerNoteView },
  playerNotes: { body: z.object({ playerId: z.string().min(1).max(200) }), reply: z.object({ items: z.array(playerNoteView) }) },
} as const;

export const topInfoSchemas = {
  ...Object.fromEntries(Object.entries(topInfoProtocol).map(([type, p]) => [type, p.body])),
  ...Object.fromEntries(TOP_INFO_EVENT_TYPES.map((type) => [type, fedEventBody])),
};
