import { BANK_ROWS, type BankRow, FORWARDING_NOISE, INLINE_NOISE, OTHER_NOTICES } from "./bank-rows.ts";

export type NoticeKind = "deposit" | "withdrawal" | "other" | "unparsed";

/** What recon reads from one bank notice. Amounts and balances are integer minor units (KRW has none below the won). */
export type ParsedNotice = {
  kind: NoticeKind;
  /** the bank's row, or null when no row claims the text */
  bank: string | null;
  amount: number | null;
  /** the depositor (or payee) as printed, or null where the bank prints none */
  name: string | null;
  /** the bank's time as printed, spaces normalized: `MM/DD HH:mm`, `YYYY/MM/DD HH:mm` or `HH:mm` */
  bankTime: string | null;
  balance: number | null;
};

const UNPARSED: ParsedNotice = { kind: "unparsed", bank: null, amount: null, name: null, bankTime: null, balance: null };

/**
 * The bank's own text: forwarding headers and tags gone, each line trimmed, empty lines
 * dropped. Two copies of one SMS forwarded by different phones clean to the same text.
 */
export function cleanNotice(raw: string): string {
  let text = raw.replace(/\r\n?/g, "\n");
  for (const noise of INLINE_NOISE) text = text.replace(noise, " ");
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+$/u, "").replace(/^[ \t\u00a0]+/u, ""))
    .filter((line) => line !== "" && !FORWARDING_NOISE.some((noise) => noise.test(line)))
    .join("\n");
}

/** Read one notice with the bank table; what no row matches is `unparsed`, kept for staff. */
export function parseNotice(raw: string, rows: readonly BankRow[] = BANK_ROWS): ParsedNotice {
  const text = cleanNotice(raw);
  for (const row of rows) {
    for (const layout of row.layouts) {
      const groups = layout.exec(text)?.groups;
      if (groups) return fromGroups(row.bank, groups);
    }
  }
  const bank = rows.find((row) => row.others.some((other) => other.test(text)))?.bank ?? null;
  if (bank !== null || OTHER_NOTICES.some((notice) => notice.test(text))) {
    return { ...UNPARSED, kind: "other", bank: bank ?? bankNamed(text, rows) };
  }
  return UNPARSED;
}

function fromGroups(bank: string, g: Record<string, string | undefined>): ParsedNotice {
  const time = g.time ?? (g.date && g.clock ? `${g.date} ${g.clock}` : undefined);
  return {
    kind: g.tx === "입금" || g.tx === "이체입금" ? "deposit" : "withdrawal",
    bank,
    amount: digits(g.amount),
    name: g.name?.trim() || null,
    bankTime: time?.replace(/\s+/g, " ") ?? null,
    balance: digits(g.balance),
  };
}

function digits(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text.replace(/,/g, ""));
  return Number.isSafeInteger(value) ? value : null;
}

/** A bank named anywhere in an other notice (`신한은행 인증번호`), else none. */
function bankNamed(text: string, rows: readonly BankRow[]): string | null {
  return rows.find((row) => text.includes(row.bank))?.bank ?? null;
}
