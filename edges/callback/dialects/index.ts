import type { Dialect } from "../../../actors/game/index.ts";
import { batchDialect } from "./batch.ts";
import { standardDialect } from "./standard.ts";
import type { DialectAdapter } from "./types.ts";

/** Every wire format the callback edge speaks, by the name a provider is registered with. */
export const DIALECTS: Record<Dialect, DialectAdapter> = {
  standard: standardDialect,
  batch: batchDialect,
};

export { callbackRefusal, internalFailure, renderJson, STATUS, wrongTypes } from "./replies.ts";
export type { CallbackCall, CallbackReply, DialectAdapter } from "./types.ts";
