import type { CentralStore } from "../runtime/central-store.ts";

/** The agents the allow-list lets act in a brand. */
export async function agentsOfBrand(store: CentralStore, brand: string): Promise<string[]> {
  const rows = await store.query<{ agent_id: string }>("select agent_id from agent_brand where brand_id = $1 order by agent_id", [brand]);
  return rows.map((r) => r.agent_id);
}
