import { OpsClient } from "../ops-client.ts";
import { UsageError } from "./brand.ts";
import type { Command } from "./types.ts";

const USAGE = "OWNER_PASSWORD=<password> supervisor owner <username>   (or pipe the password on stdin)";

/**
 * The first owner account, through the running node's identity actor (the one writer of
 * staff). There is no default account and no default password; does nothing when an active
 * owner exists.
 */
export const owner: Command = {
  name: "owner",
  summary: "create the first back-office owner (nothing changes when an active owner exists)",
  usage: USAGE,
  async run({ config, args, out }) {
    const username = args[0];
    if (!username) throw new UsageError(USAGE);
    const password = process.env.OWNER_PASSWORD || (await Bun.stdin.text()).trim();
    const ops = new OpsClient(config);
    const result = await ops.answer(ops.api.owner.$post({ json: { username, password } }));
    out(result.created ? `owner ${result.username} created` : `an owner already exists (${result.username}); nothing changed`);
    return 0;
  },
};
