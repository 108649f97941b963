import type { Database } from "bun:sqlite";
import { fail, ok } from "../runtime/errors.ts";
import type { CouponView, PromotionBody, RedemptionView } from "./messages.ts";
import type { Handler } from "./turn.ts";

/** How coupons and redemptions read, for staff and for the player who redeemed. */

export type CouponRow = {
  rowid: bigint;
  id: string;
  name: string;
  kind: "fixed" | "deposit_percent";
  amount: bigint;
  percent_bp: bigint;
  cap: bigint | null;
  min_deposit: bigint;
  max_uses: bigint;
  rolling_multiple: string | null;
  valid_from: bigint;
  valid_to: bigint;
  status: "active" | "paused";
  created_by: string;
  created_at: bigint;
};

export type RedemptionRow = {
  rowid: bigint;
  id: string;
  coupon_id: string;
  code: string;
  player_id: string;
  status: RedemptionView["status"];
  amount: bigint;
  transaction_id: string | null;
  refusal_code: string | null;
  refusal_message: string | null;
  created_at: bigint;
  updated_at: bigint;
};

export function couponRow(sqlite: Database, id: string): CouponRow | null {
  return sqlite.query<CouponRow, [string]>("select rowid, * from promotion_coupons where id = ?").safeIntegers(true).get(id);
}

export function couponViewOf(sqlite: Database, r: CouponRow): CouponView {
  const counts = sqlite.query<{ codes: number; uses: number | null }, [string]>("select count(*) as codes, sum(uses) as uses from promotion_codes where coupon_id = ?").get(r.id)!;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    amount: r.amount.toString(),
    percentBp: Number(r.percent_bp),
    cap: r.cap === null ? null : r.cap.toString(),
    minDeposit: r.min_deposit.toString(),
    maxUses: Number(r.max_uses),
    rollingMultiple: r.rolling_multiple === null ? null : Number(r.rolling_multiple),
    validFrom: Number(r.valid_from),
    validTo: Number(r.valid_to),
    status: r.status,
    codes: counts.codes,
    uses: counts.uses ?? 0,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
}

type JoinedRedemption = RedemptionRow & { coupon_name: string; rolling_id: string | null; rolling_status: string | null; target: string | null; progress: string | null };

const REDEMPTION_SELECT = `select r.rowid, r.*, c.name as coupon_name, b.rolling_id, b.status as rolling_status, b.target, b.progress
  from promotion_redemptions r join promotion_coupons c on c.id = r.coupon_id
  left join promotion_bonus_rollings b on b.source_transaction_id = r.transaction_id`;

function redemptionOf(r: JoinedRedemption): RedemptionView {
  return {
    id: r.id,
    couponId: r.coupon_id,
    couponName: r.coupon_name,
    code: r.code,
    player: r.player_id,
    status: r.status,
    amount: r.amount.toString(),
    transactionId: r.transaction_id,
    rolling: r.rolling_id === null ? null : { id: r.rolling_id, status: r.rolling_status as "open", target: r.target!, progress: r.progress! },
    refusal: r.refusal_code === null ? null : { code: r.refusal_code, message: r.refusal_message ?? "" },
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function redemptionViewOf(sqlite: Database, id: string): RedemptionView | null {
  const row = sqlite.query<JoinedRedemption, [string]>(`${REDEMPTION_SELECT} where r.id = ?`).safeIntegers(true).get(id);
  return row ? redemptionOf(row) : null;
}

const before = (cursor: string | undefined) => BigInt(cursor ?? "9223372036854775807");
function paged<R extends { rowid: bigint }, T>(rows: R[], limit: number, view: (row: R) => T) {
  const page = rows.slice(0, limit);
  return { items: page.map(view), nextCursor: rows.length > limit ? String(page.at(-1)!.rowid) : null };
}

export const coupons: Handler<PromotionBody<"coupons">> = ({ cursor, limit, status }, turn) => {
  const rows = turn.sqlite
    .query<CouponRow, [bigint, string | null, number]>("select rowid, * from promotion_coupons where rowid < ?1 and (?2 is null or status = ?2) order by rowid desc limit ?3")
    .safeIntegers(true)
    .all(before(cursor), status ?? null, limit + 1);
  return ok(paged(rows, limit, (r) => couponViewOf(turn.sqlite, r)));
};

export const coupon: Handler<PromotionBody<"coupon">> = ({ couponId }, turn) => {
  const row = couponRow(turn.sqlite, couponId);
  return row ? ok(couponViewOf(turn.sqlite, row)) : fail("not_found", `no coupon ${couponId}`);
};

export const couponCodes: Handler<PromotionBody<"couponCodes">> = ({ couponId, cursor, limit }, turn) => {
  const row = couponRow(turn.sqlite, couponId);
  if (!row) return fail("not_found", `no coupon ${couponId}`);
  const rows = turn.sqlite
    .query<{ rowid: bigint; code: string; uses: bigint }, [string, bigint, number]>(
      "select rowid, code, uses from promotion_codes where coupon_id = ?1 and rowid < ?2 order by rowid desc limit ?3",
    )
    .safeIntegers(true)
    .all(couponId, before(cursor), limit + 1);
  return ok(paged(rows, limit, (r) => ({ code: r.code, couponId, uses: Number(r.uses), maxUses: Number(row.max_uses) })));
};

export const redemptions: Handler<PromotionBody<"redemptions">> = ({ player, couponId, status, cursor, limit }, turn) => {
  const rows = turn.sqlite
    .query<JoinedRedemption, [bigint, string | null, string | null, string | null, number]>(
      `${REDEMPTION_SELECT} where r.rowid < ?1 and (?2 is null or r.player_id = ?2) and (?3 is null or r.coupon_id = ?3) and (?4 is null or r.status = ?4)
       order by r.rowid desc limit ?5`,
    )
    .safeIntegers(true)
    .all(before(cursor), player ?? null, couponId ?? null, status ?? null, limit + 1);
  return ok(paged(rows, limit, redemptionOf));
};

/** One redemption; with `player`, only that player's (another's reads as unknown). */
export const redemption: Handler<PromotionBody<"redemption">> = ({ redemptionId, player }, turn) => {
  const view = redemptionViewOf(turn.sqlite, redemptionId);
  if (!view || (player !== undefined && view.player !== player)) return fail("not_found", `no redemption ${redemptionId}`);
  return ok(view);
};
