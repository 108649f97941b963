/**
 * The banks recon reads, one row each: the layouts of its transfer notices and the words of
 * its other notices. A layout is a regular expression over the cleaned text (lines trimmed,
 * forwarding noise gone) with named groups: `tx` (the transaction word), `amount`, and where
 * the bank prints them `name`, `time` (or `date` and `clock`) and `balance`. A bank whose
 * notice prints only the account owner (not the depositor) has no `name` group.
 *
 * `tx` decides the kind: only `입금` / `이체입금` in that slot is a deposit, so a name holding a
 * bank's name (`윤신한`) or a memo holding `입금` (`FBS입금`) never decides anything.
 */
export type BankRow = {
  bank: string;
  layouts: RegExp[];
  /** notices of this bank that move no money recon can match: card approvals, codes, service notices */
  others: RegExp[];
};

const TIME = String.raw`(?<time>\d{2}/\d{2} \d{2}:\d{2})`;
const AMOUNT = String.raw`(?<amount>\d[\d,]*)`;
const BALANCE = String.raw`(?<balance>\d[\d,]*)`;
const TX = "(?<tx>입금|출금)";
const TRANSFER_TX = "(?<tx>이체입금|이체출금)";
/** one line of text that is not the next field */
const LINE = "[^\\n]+";

const layout = (...parts: string[]) => new RegExp(parts.join(""), "u");

export const BANK_ROWS: BankRow[] = [
  {
    bank: "KB",
    layouts: [
      layout(String.raw`^\[KB\]`, TIME, `\\n${LINE}\\n(?<name>${LINE})\\n`, TX, `\\n${AMOUNT}\\n잔액${BALANCE}`),
      // the KB스타뱅킹 app's push: the masked line is the owner; the depositor leads the last line
      layout(String.raw`^KB스타뱅킹\n`, TX, String.raw` ${AMOUNT}원?\n\S+ `, TIME, String.raw` \S+\n(?<name>\S+) [^\n]*잔액${BALANCE}`),
    ],
    others: [/^KB스타뱅킹/u, /^\[KB\]/u],
  },
  {
    bank: "신한",
    layouts: [layout("^신한", TIME, `\\n${LINE}\\n`, TX, String.raw`\s+${AMOUNT}원?\n잔액\s+${BALANCE}원?\n(?<name>${LINE})`)],
    others: [/^신한/u],
  },
  {
    bank: "농협",
    layouts: [layout("^농협 ", TX, `${AMOUNT}원?\\n`, TIME, String.raw` \S+ (?<name>[^\n]+?)(?:[ \n]잔액${BALANCE}원?)?(?:\n|$)`)],
    others: [/^농협/u],
  },
  {
    bank: "IBK기업",
    layouts: [layout(String.raw`^(?<time>\d{4}/\d{2}/\d{2} \d{2}:\d{2})\n`, TX, ` ${AMOUNT}원?\\n잔액 ${BALANCE}원?\\n(?<name>${LINE})\\n[\\d*]+\\n기업$`)],
    others: [/^\[?IBK/u, /^기업/u],
  },
  {
    bank: "하나",
    layouts: [layout(String.raw`^하나,(?<date>\d{2}/\d{2}), ?(?<clock>\d{2}:\d{2})\n${LINE}\n`, TX, `${AMOUNT}원?\\n(?<name>${LINE})\\n잔액${BALANCE}원?`)],
    others: [/^하나/u],
  },
  {
    bank: "우리",
    layouts: [
      layout("^우리 ", TIME, String.raw`\n\*\d+\n`, TX, ` ${AMOUNT}원?\\n(?<name>${LINE})$`),
      // the one-line layout names no bank: the `*` and six account digits are Woori's
      layout("^", TIME, String.raw` \*\d{6} `, TX, ` ${AMOUNT}원? (?<name>${LINE})$`),
    ],
    others: [/^우리/u],
  },
  {
    bank: "우체국",
    layouts: [layout("^우체국,", TIME, `\\n${LINE}\\n`, TX, ` ${AMOUNT}원?\\n잔액 ${BALANCE}원?\\n(?<name>${LINE})$`)],
    others: [/^우체국/u],
  },
  {
    bank: "새마을금고",
    // the name after the account is the owner's, not the depositor's
    layouts: [layout(String.raw`^[‹<]새마을금고>${LINE}\n`, TX, `${AMOUNT}원? 잔액${BALANCE}원? `, TIME, "$")],
    others: [/^[‹<]?새마을금고/u],
  },
  {
    bank: "케이뱅크",
    // the masked line is the owner's; the bank prints no depositor, time or readable balance here
    layouts: [layout(String.raw`^\[케이뱅크\]\n${LINE}\n`, TX, ` ${AMOUNT}원?\\n잔액 (?:${BALANCE}|\\*+)원?`)],
    others: [/^\[?케이뱅크/u],
  },
  {
    bank: "카카오뱅크",
    layouts: [layout(String.raw`^\[카카오뱅크\] \S+ `, TIME, " ", TX, ` ${AMOUNT}원? (?<name>.+?) 잔액 ${BALANCE}원?$`)],
    others: [/^\[카카오뱅크\]/u],
  },
  {
    bank: "신협",
    layouts: [layout(String.raw`^신협\S+ `, TIME, " ", TX, ` ${AMOUNT}원? (?<name>.+?) 잔액${BALANCE}원?$`)],
    others: [/^신협/u],
  },
  {
    bank: "한국투자",
    layouts: [layout(String.raw`^\[한국투자\](?<time>\d{2}:\d{2})\n${LINE}\n`, TRANSFER_TX, `\\n${AMOUNT}원?\\n\\(잔액${BALANCE}\\)\\n(?<name>${LINE})`)],
    others: [/^\[한국투자\]/u],
  },
  {
    bank: "iM뱅크",
    layouts: [layout("^iM뱅크 ", TIME, `\\n${LINE}\\n`, TX, ` ${AMOUNT}원?\\n잔액 ${BALANCE}원?\\n(?<name>${LINE})`)],
    others: [/^iM뱅크/u],
  },
];

/** Notices no bank row claims that still move no money: one-time codes, card approvals. */
export const OTHER_NOTICES: RegExp[] = [/인증번호/u, /승인/u, /서비스.*안내/u];

/** Lines and tags forwarding phones and apps add around a bank's text. */
export const FORWARDING_NOISE: RegExp[] = [/^보낸사람\s*:.*$/u, /^입출금 알림$/u];
export const INLINE_NOISE: RegExp[] = [/\[Web발신\]/gu];
