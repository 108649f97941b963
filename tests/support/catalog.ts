import { type Brand, catalogClient, type NewBrand, type Surface } from "../../actors/catalog/index.ts";
import type { ActingStaff } from "../../actors/identity/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import type { Messenger } from "../../actors/runtime/messenger.ts";

/** Who test arrangements act as in the audit log. */
export const TEST_SETUP: ActingStaff = { staffId: null, username: "test-setup" };

/**
 * Brands for a test, through the node's `catalog` actor (the one writer of the catalog), which
 * reloads the node's copy before it answers: `await createBrand(node.system, { id, name })`.
 */
export async function createBrand(messenger: Messenger, brand: NewBrand): Promise<Brand> {
  return expectOk(await catalogClient(messenger).createBrand({ ...brand, by: TEST_SETUP }));
}

export async function setBrandStatus(messenger: Messenger, brand: string, status: "active" | "disabled"): Promise<Brand> {
  return expectOk(await catalogClient(messenger).setBrandStatus({ brand, status, by: TEST_SETUP }));
}

export async function addDomain(messenger: Messenger, brand: string, domain: string, surface: Surface = "gateway"): Promise<Brand> {
  return expectOk(await catalogClient(messenger).addDomain({ brand, domain, surface, by: TEST_SETUP }));
}
