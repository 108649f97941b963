import type { z } from "zod";
import type { GameEdgeView, ProviderView } from "../../../actors/game/index.ts";
import type { ActingStaff } from "../../../actors/identity/index.ts";
import type { EdgeContext } from "../../shared/edge-context.ts";

/** What a callback answers: the HTTP status and the dialect's JSON body (bigints as numbers). */
export type CallbackReply = { http: 200 | 400 | 401 | 403 | 404 | 500 | 503; body: Record<string, unknown>; retryAfterSeconds?: number };

/** One verified provider call on its way to the wallet; `by` when staff replayed it (the wallet audits what it moves). */
export type CallbackCall = { ctx: EdgeContext; game: GameEdgeView; provider: ProviderView; by?: ActingStaff };

/** What an operation's documentation says: its purpose, the body of an `RS_OK` answer, and whether it only reads (moves no money). */
export type OperationDoc = { summary: string; reply: z.ZodType; readOnly?: boolean };

export type Operation<S extends z.ZodType = z.ZodType> = OperationDoc & {
  schema: S;
  run(input: z.output<S>, call: CallbackCall): Promise<CallbackReply>;
};

/** A wire format: its operations by path under `/callbacks/{provider}/`. */
export type DialectAdapter = {
  name: string;
  operations: Record<string, Operation<any>>;
};

export const operation = <S extends z.ZodType>(doc: OperationDoc, schema: S, run: Operation<S>["run"]): Operation<S> => ({ ...doc, schema, run });
