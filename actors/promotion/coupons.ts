import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { type BonusRequested, type FedEvent, GRANT_SOURCE, PROMOTION_EVENTS } from "./events.ts";
import type { CouponView, PromotionBody } from "./messages.ts";
import { audited, type Handler, minorUnits, type PromotionTurn, text } from "./turn.ts";
import { type CouponRow, couponRow, couponViewOf, type RedemptionRow, redemptionViewOf } from "./views.ts";

/**
 * Coupons: staff create one (a code of theirs or a batch of generated codes) and pause or
 * resume it, audited in the same commit. A player redeems a code once per coupon, while the
 * coupon is active and valid and the code has uses left; the use is counted in the same
 * commit, and the actor takes one message at a time, so a code's uses never pass its limit
 * however many players redeem at once. A fixed coupon without a minimum deposit asks the
 * wallet for its bonus at once; the others wait, armed, for the player's next deposit of at
 * least the minimum (a deposit coupon's bonus is its share of that deposit, at most its cap).
 */

const BP = 10_000n;
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function freeCode(turn: PromotionTurn): string {
  const taken = turn.sqlite.query("select 1 from promotion_codes where code = ?");
  for (;;) {
    const code = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => CODE_ALPHABET[b % 32]).join("");
    if (!taken.get(code)) return code;
  }
}

export const createCoupon: Handler<PromotionBody<"createCoupon">> = ({ coupon, by }, turn) => {
  if (coupon.code !== undefined && turn.sqlite.query("select 1 from promotion_codes where code = ?").get(coupon.code)) {
    return fail("code_taken", `the code ${coupon.code} is taken`);
  }
  const id = Bun.randomUUIDv7();
  const createdBy = by.staffId ?? by.username;
  turn.sqlite
    .query(
      `insert into promotion_coupons (id, name, kind, amount, percent_bp, cap, min_deposit, max_uses, rolling_multiple, valid_from, valid_to, status, created_by, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
    )
    .run(
      id,
      coupon.name,
      coupon.kind,
      BigInt(coupon.kind === "fixed" ? coupon.amount! : "0"),
      coupon.kind === "fixed" ? 0 : coupon.percentBp!,
      coupon.kind === "fixed" ? null : BigInt(coupon.cap!),
      BigInt(coupon.minDeposit),
      coupon.maxUses,
      coupon.rollingMultiple === undefined ? null : String(coupon.rollingMultiple),
      coupon.validFrom ?? turn.now,
      coupon.validTo,
      createdBy,
      turn.now,
      turn.now,
    );
  const codes = coupon.code !== undefined ? [coupon.code] : Array.from({ length: coupon.batch! }, () => freeCode(turn));
  const insert = turn.sqlite.query("insert into promotion_codes (code, coupon_id) values (?, ?)");
  for (const code of codes) insert.run(code, id);
  const view = couponViewOf(turn.sqlite, couponRow(turn.sqlite, id)!);
  turn.emit({ type: PROMOTION_EVENTS.couponCreated, payload: { couponId: id, name: view.name, codes: codes.length } });
  audited(turn, by, { action: "promotion.coupon_create", target: `coupon:${id}`, after: { ...view, codeList: codes.length <= 20 ? codes : codes.slice(0, 20) } });
  return ok({ ...view, codeList: codes });
};

export const setCouponStatus: Handler<PromotionBody<"setCouponStatus">> = ({ couponId, status, by }, turn) => {
  const row = couponRow(turn.sqlite, couponId);
  if (!row) return fail("not_found", `no coupon ${couponId}`);
  if (row.status === status) return ok(couponViewOf(turn.sqlite, row));
  turn.sqlite.query("update promotion_coupons set status = ?, updated_at = ? where id = ?").run(status, turn.now, couponId);
  const view = couponViewOf(turn.sqlite, couponRow(turn.sqlite, couponId)!);
  turn.emit({ type: PROMOTION_EVENTS.couponStatusChanged, payload: { couponId, status } });
  audited(turn, by, {
    action: status === "paused" ? "promotion.coupon_pause" : "promotion.coupon_resume",
    target: `coupon:${couponId}`,
    before: { status: row.status },
    after: { status },
  });
  return ok(view);
};

/** Why a coupon cannot be used now, or null. */
function unusable(coupon: CouponRow, now: number): Outcome<never> | null {
  if (coupon.status !== "active") return fail("coupon_inactive", "this coupon is paused");
  if (now < Number(coupon.valid_from)) return fail("coupon_not_started", "this coupon cannot be used yet");
  if (now >= Number(coupon.valid_to)) return fail("coupon_expired", "this coupon has expired");
  return null;
}

export const redeem: Handler<PromotionBody<"redeem">> = ({ player, code }, turn) => {
  const found = turn.sqlite.query<{ coupon_id: string; uses: bigint }, [string]>("select coupon_id, uses from promotion_codes where code = ?").safeIntegers(true).get(code);
  const coupon = found && couponRow(turn.sqlite, found.coupon_id);
  if (!found || !coupon) return fail("coupon_not_found", "no such coupon code");
  const refusal = unusable(coupon, turn.now);
  if (refusal) return refusal;
  if (turn.sqlite.query("select 1 from promotion_redemptions where coupon_id = ? and player_id = ?").get(coupon.id, player)) {
    return fail("already_redeemed", "this coupon was redeemed by this player already");
  }
  if (found.uses >= coupon.max_uses) return fail("coupon_exhausted", "this code has no uses left");
  turn.sqlite.query("update promotion_codes set uses = uses + 1 where code = ?").run(code);
  const id = Bun.randomUUIDv7();
  const waits = coupon.kind === "deposit_percent" || coupon.min_deposit > 0n;
  turn.sqlite
    .query("insert into promotion_redemptions (id, coupon_id, code, player_id, status, amount, created_at, updated_at) values (?, ?, ?, ?, 'armed', 0, ?, ?)")
    .run(id, coupon.id, code, player, turn.now, turn.now);
  turn.emit({ type: PROMOTION_EVENTS.redeemed, payload: { redemptionId: id, couponId: coupon.id, code, player } });
  if (!waits) requestBonus(turn, id, coupon, player, coupon.amount, null);
  return ok(redemptionViewOf(turn.sqlite, id)!);
};

/** Ask the wallet for a redemption's bonus (through the outbox, under the redemption's id). */
function requestBonus(turn: PromotionTurn, redemptionId: string, coupon: CouponRow, player: string, amount: bigint, deposit: string | null) {
  turn.sqlite
    .query("update promotion_redemptions set status = 'requested', amount = ?, deposit_transaction_id = ?, updated_at = ? where id = ?")
    .run(amount, deposit, turn.now, redemptionId);
  askForBonus(turn, redemptionId, coupon, player, amount, `bonus:${redemptionId}`);
}

function askForBonus(turn: PromotionTurn, redemptionId: string, coupon: CouponRow, player: string, amount: bigint, eventId: string) {
  const payload: BonusRequested = { grantId: redemptionId, player, amount: amount.toString(), source: GRANT_SOURCE, reason: `coupon ${coupon.name}` };
  if (coupon.rolling_multiple !== null) payload.rollingMultiple = Number(coupon.rolling_multiple);
  turn.emit({ type: PROMOTION_EVENTS.bonusRequested, payload, eventId });
}

/** A grant unanswered this long is asked for again (the wallet grants a redemption's id once). */
export const BONUS_RETRY_MS = 10 * 60_000;

/**
 * Redemptions whose grant the wallet has not announced within `BONUS_RETRY_MS` are asked for
 * again under a new event id (a wallet that refused for the moment, `settings_unavailable`,
 * kept nothing under the grant's key); at most 500 per call, the oldest first.
 */
export function askAgainForBonuses(turn: PromotionTurn): number {
  const due = turn.sqlite
    .query<RedemptionRow, [number]>("select rowid, * from promotion_redemptions where status = 'requested' and updated_at <= ? order by updated_at limit 500")
    .safeIntegers(true)
    .all(turn.now - BONUS_RETRY_MS);
  for (const redemption of due) {
    turn.sqlite.query("update promotion_redemptions set updated_at = ? where id = ?").run(turn.now, redemption.id);
    askForBonus(turn, redemption.id, couponRow(turn.sqlite, redemption.coupon_id)!, redemption.player_id, redemption.amount, `bonus:${redemption.id}@${turn.now}`);
  }
  return due.length;
}

/**
 * A deposit: the player's oldest armed redemption it qualifies for starts its bonus (one
 * coupon per deposit). An armed redemption of a coupon that has ended lapses.
 */
export const depositApproved: Handler<FedEvent> = ({ payload }, turn) => {
  const player = text(payload.player);
  const amount = minorUnits(payload.amount);
  const deposit = text(payload.transactionId);
  if (!player || amount === null || !deposit) return ok({ started: false });
  const armed = turn.sqlite
    .query<RedemptionRow, [string]>("select * from promotion_redemptions where player_id = ? and status = 'armed' order by created_at, id")
    .safeIntegers(true)
    .all(player);
  for (const redemption of armed) {
    const coupon = couponRow(turn.sqlite, redemption.coupon_id)!;
    if (turn.now >= Number(coupon.valid_to)) {
      turn.sqlite.query("update promotion_redemptions set status = 'lapsed', updated_at = ? where id = ?").run(turn.now, redemption.id);
      continue;
    }
    if (coupon.status !== "active" || amount < coupon.min_deposit) continue;
    const bonus = coupon.kind === "fixed" ? coupon.amount : min((amount * coupon.percent_bp) / BP, coupon.cap ?? 0n);
    if (bonus === 0n) continue;
    requestBonus(turn, redemption.id, coupon, player, bonus, deposit);
    return ok({ started: true, redemptionId: redemption.id });
  }
  return ok({ started: false });
};

/**
 * The wallet granted a bonus this domain asked for: its redemption is granted, with the grant's
 * transaction (one refused by an earlier ask counts its code's use again: the grant was made).
 */
export const bonusGranted: Handler<FedEvent> = ({ payload }, turn) => {
  const key = text(payload.idempotencyKey);
  const transactionId = text(payload.transactionId);
  if (payload.source !== GRANT_SOURCE || !key?.startsWith("bonus-grant:") || !transactionId) return ok({ marked: false });
  const id = key.slice("bonus-grant:".length);
  const was = turn.sqlite.query<{ status: string; code: string }, [string]>("select status, code from promotion_redemptions where id = ?").get(id);
  if (!was || was.status === "granted") return ok({ marked: false });
  turn.sqlite
    .query("update promotion_redemptions set status = 'granted', transaction_id = ?, refusal_code = null, refusal_message = null, updated_at = ? where id = ?")
    .run(transactionId, turn.now, id);
  if (was.status === "refused") turn.sqlite.query("update promotion_codes set uses = uses + 1 where code = ?").run(was.code);
  return ok({ marked: true });
};

/** Refusals that hold for the moment only: the timer asks for the grant again. */
const NOT_NOW: ReadonlySet<string> = new Set(["settings_unavailable", "unavailable", "timeout", "overloaded", "degraded"]);

/**
 * The wallet refused a grant this domain asked for, for good: the redemption asking for it is
 * refused with the wallet's code and message, the timer stops asking, and the code's use is
 * given back (the code is not burned by a bonus never granted). Only a redemption still
 * `requested` changes, so the same refusal heard again changes nothing.
 */
export const bonusRefused: Handler<FedEvent> = ({ payload }, turn) => {
  const id = text(payload.grantId);
  const code = text(payload.code);
  if (payload.source !== GRANT_SOURCE || !id || !code || NOT_NOW.has(code)) return ok({ refused: false });
  const redemption = turn.sqlite
    .query<{ code: string; coupon_id: string; player_id: string }, [string]>("select code, coupon_id, player_id from promotion_redemptions where id = ? and status = 'requested'")
    .get(id);
  if (!redemption) return ok({ refused: false });
  const message = typeof payload.message === "string" ? payload.message.slice(0, 500) : "";
  turn.sqlite.query("update promotion_redemptions set status = 'refused', refusal_code = ?, refusal_message = ?, updated_at = ? where id = ?").run(code, message, turn.now, id);
  turn.sqlite.query("update promotion_codes set uses = uses - 1 where code = ? and uses > 0").run(redemption.code);
  turn.emit({
    type: PROMOTION_EVENTS.redemptionRefused,
    payload: { redemptionId: id, couponId: redemption.coupon_id, code: redemption.code, player: redemption.player_id, refusalCode: code },
  });
  return ok({ refused: true });
};

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export type { CouponView };
