/**
 * Depositor names as banks print them and as players type them. Normalizing drops what
 * senders and banks add around a name: spaces, `님`, `(주)` / `㈜` / `주식회사`, a numeric
 * prefix like `088-`, a dangling `(`; Latin letters compare case-blind.
 */
export function normalizeName(name: string): string {
  return name
    .normalize("NFC")
    .replace(/\s+/g, "")
    .replace(/\(주\)|㈜|주식회사/g, "")
    .replace(/^\d{2,4}-/, "")
    .replace(/\($/, "")
    .replace(/님$/, "")
    .toLowerCase();
}

/**
 * How a printed name relates to the name a player gave with the request:
 * - `same`: equal once normalized (the only relation that may approve by itself);
 * - `masked`: the bank hid letters with `*` and the rest agrees;
 * - `truncated`: the bank cut the name and what it printed starts the player's name;
 * - `alias`: staff confirmed earlier that this printed name pays for the player;
 * - `different`: none of these.
 */
export type NameRelation = "same" | "masked" | "truncated" | "alias" | "different";

/** Banks cut depositor names at a few characters; a shorter print is no evidence. */
const MIN_TRUNCATED_LENGTH = 3;

export function relateNames(printed: string | null, requested: string | null, aliased = false): NameRelation {
  if (printed === null) return aliased ? "alias" : "different";
  const p = normalizeName(printed);
  const r = requested === null ? "" : normalizeName(requested);
  if (r !== "" && p === r) return "same";
  if (r !== "" && p.includes("*") && maskedMatch(p, r)) return "masked";
  if (r !== "" && p.length >= MIN_TRUNCATED_LENGTH && p.length < r.length && r.startsWith(p)) return "truncated";
  return aliased ? "alias" : "different";
}

function maskedMatch(masked: string, name: string): boolean {
  if (masked.length !== name.length) return false;
  for (let i = 0; i < masked.length; i++) if (masked[i] !== "*" && masked[i] !== name[i]) return false;
  return true;
}
