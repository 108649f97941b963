import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bankTimeToUtc } from "../../actors/recon/bank-time.ts";
import { normalizeName, relateNames } from "../../actors/recon/depositor-names.ts";
import { cleanNotice, parseNotice } from "../../actors/recon/parser.ts";

/** A copy of the project's reference samples (shared/recon): each bank's real layouts, with what a parser must read. */
const SAMPLES = join(import.meta.dir, "sms-samples.tsv");

type Sample = { id: string; bank: string; kind: string; amount: string; name: string; bank_time: string; balance: string; text: string };

function samples(): Sample[] {
  const raw = readFileSync(SAMPLES, "utf8");
  const [header, ...lines] = raw.split("\n").filter((l) => l !== "");
  const columns = header!.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t");
    const row = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""])) as Sample;
    row.text = row.text.replace(/\\(n|\\)/g, (_, c) => (c === "n" ? "\n" : "\\"));
    return row;
  });
}

describe("the bank table", () => {
  const rows = samples();
  test("has samples to read", () => expect(rows.length).toBeGreaterThan(25));

  test.each(rows.map((r) => [r.id, r] as const))("%s is read as its columns say", (_id, row) => {
    const parsed = parseNotice(row.text);
    expect({
      kind: parsed.kind as string,
      bank: parsed.bank ?? "",
      amount: parsed.amount?.toString() ?? "",
      name: parsed.name ?? "",
      bankTime: parsed.bankTime ?? "",
      balance: parsed.balance?.toString() ?? "",
    }).toEqual({ kind: row.kind, bank: row.bank, amount: row.amount, name: row.name, bankTime: row.bank_time, balance: row.balance });
  });

  test("what no row matches is unparsed, not guessed", () => {
    expect(parseNotice("hello, 입금 해주세요 10,000").kind).toBe("unparsed");
    expect(parseNotice("").kind).toBe("unparsed");
  });

  test("forwarding noise does not change the bank's text", () => {
    const bare = "[KB]09/04 00:03\n834702**717\n김철수\n입금\n50000\n잔액1,200,892";
    expect(cleanNotice(`보낸사람 : 16449999\n[Web발신]\n${bare}`)).toBe(cleanNotice(bare));
    expect(cleanNotice(`  ${bare.replace(/\n/g, "  \r\n ")}\n\n`)).toBe(cleanNotice(bare));
  });
});

describe("bank time", () => {
  const kst = (iso: string) => Date.parse(`${iso}+09:00`);
  test("a dated notice takes the receipt's year, the year before across New Year", () => {
    expect(bankTimeToUtc("09/04 00:03", kst("2025-09-04T00:04:00"))).toBe(kst("2025-09-04T00:03:00"));
    expect(bankTimeToUtc("12/31 23:59", kst("2026-01-01T00:01:00"))).toBe(kst("2025-12-31T23:59:00"));
    // a clock a few hours fast is still this year
    expect(bankTimeToUtc("01/01 09:00", kst("2026-01-01T00:30:00"))).toBe(kst("2026-01-01T09:00:00"));
    expect(bankTimeToUtc("02/29 10:00", kst("2025-03-01T10:00:00"))).toBe(kst("2024-02-29T10:00:00"));
  });

  test("a full date is taken as printed; a bare clock takes the receipt's date, or the day before", () => {
    expect(bankTimeToUtc("2026/08/10 14:49", kst("2026-08-10T14:50:00"))).toBe(kst("2026-08-10T14:49:00"));
    expect(bankTimeToUtc("05:31", kst("2025-07-04T05:32:00"))).toBe(kst("2025-07-04T05:31:00"));
    expect(bankTimeToUtc("23:59", kst("2025-07-05T00:01:00"))).toBe(kst("2025-07-04T23:59:00"));
    expect(bankTimeToUtc(null, 1234)).toBe(1234);
    expect(bankTimeToUtc("13/45 99:00", 1234)).toBe(1234);
  });
});

describe("depositor names", () => {
  test("normalizing drops what banks and senders add", () => {
    expect(normalizeName("088-홍길동(")).toBe("홍길동");
    expect(normalizeName("(주)재호")).toBe(normalizeName("㈜ 재호"));
    expect(normalizeName("주식회사 넥스")).toBe("넥스");
    expect(normalizeName("김철수 님")).toBe("김철수");
    expect(normalizeName("Kim Minsu")).toBe("kimminsu");
  });

  test("only an equal name is the same; masks, cuts and aliases are candidates", () => {
    expect(relateNames("088-홍길동(", "홍길동")).toBe("same");
    expect(relateNames("김*동", "김길동")).toBe("masked");
    expect(relateNames("김*동", "김길순")).toBe("different");
    expect(relateNames("카페24페이먼", "카페24페이먼츠")).toBe("truncated");
    expect(relateNames("김", "김철수")).toBe("different");
    expect(relateNames("토스김영희", "김영희", true)).toBe("alias");
    expect(relateNames("박영희", null)).toBe("different");
  });
});
