import { expect, test } from "bun:test";
import type { Behavior, Incoming } from "../../actors/runtime/actor.ts";
import { ok } from "../../actors/runtime/errors.ts";
import { answeringQueries } from "../../shards/journaled-behavior.ts";

/** Commands that count into `state`; each receive is one "transaction". */
function counter() {
  const state = { value: 0, transactions: 0 };
  const commands: Behavior = {
    recall: async () => new Map(),
    receive: async (batch) => {
      state.transactions++;
      return batch.map(() => ok((state.value += 1)));
    },
  };
  return { state, commands };
}

const message = (type: string, i: number): Incoming => ({ id: `m${i}`, type, body: {}, envelope: {} as Incoming["envelope"], deliveryCount: 1 });
const batch = ["add", "read", "add", "read"].map(message);

test("by default a batch's commands commit in one transaction and its queries see all of them", async () => {
  const { state, commands } = counter();
  const behavior = answeringQueries(commands, { isQuery: (t) => t === "read", query: () => ok(state.value) });
  expect(await behavior.receive(batch)).toEqual([ok(1), ok(2), ok(2), ok(2)]);
  expect(state.transactions).toBe(1);
});

test("in order, a query sees only the commands before it", async () => {
  const { state, commands } = counter();
  const committed: number[] = [];
  const behavior = answeringQueries(commands, { isQuery: (t) => t === "read", query: () => ok(state.value), inOrder: true, committed: (w) => committed.push(w.length) });
  expect(await behavior.receive(batch)).toEqual([ok(1), ok(1), ok(2), ok(2)]);
  expect(state.transactions).toBe(2);
  expect(committed).toEqual([1, 1]);
});
