/**
 * A legacy dialect as data: rows naming a legacy route, its `/api/v1` twin, how the legacy
 * fields become the twin's fields, and how the twin's reply becomes `data`. The gateway's
 * player dialect and the agent edge's dialect are tables of these rows; one translator runs
 * them all (translate.ts, legacy-routes.ts).
 */

/** How one value is read from the twin's reply: a dotted path, optionally converted. */
export type Pick = string | { from: string; as: "int" | "flag" } | { join: [string, string] };
export type Shape = { [legacyKey: string]: Pick | Shape };

/**
 * Where a legacy request field goes: a dotted twin field (path params by `:name`), split in
 * two, or a money field (whole minor units, refused in translation past what a request may
 * move, so an amount the legacy client cannot hold exactly never reaches the twin).
 */
export type FieldRule = string | { split: string; into: [string, string] } | { money: string };

export type ReplyRule = { data: Shape } | { list: string; each: Shape; extra?: Shape };

export type LegacyRoute = {
  method: "GET" | "POST";
  path: string;
  /** "METHOD /path" under /api/v1; `:name` segments are filled from renamed fields */
  twin: string;
  fields?: Record<string, FieldRule>;
  /** twin fields every request of the row carries, whatever the legacy request said */
  fixed?: Record<string, string | number | boolean>;
  /** the legacy field holding a page number: the translator follows the twin's cursors to it */
  pageField?: string;
  /** the legacy reply is the whole list: the translator gathers every page of the twin */
  wholeList?: boolean;
  /** other twins asked with the same credentials ("METHOD /path?query"), their replies put under these names for `reply` to read */
  also?: Record<string, string>;
  reply: ReplyRule;
};
