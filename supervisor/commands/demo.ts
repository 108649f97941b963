import { OpsClient } from "../ops-client.ts";
import { DEMO, type DemoResult, seedDemo } from "./demo-seed.ts";
import { EdgeClient } from "./edge-client.ts";
import type { Command } from "./types.ts";

const USAGE = `supervisor demo [--owner-password <password>]

Loads demo data into the RUNNING node (npm start first), through its edges:
  brand demo (KRW)    hosts demo.localhost (gateway), agent.demo.localhost (agent), admin.demo.localhost (admin)
  staff owner         the first owner; its password is printed once (random unless --owner-password)
  provider demo-slots standard dialect, its secret printed once; games fruit-party, gold-rush, blackjack
  player alice        a new random password on every run, and an approved welcome deposit of 100000
Running it again changes nothing else. Edges find the brand by the Host header:
curl needs -H "Host: demo.localhost" (gateway). docs/surfaces.md has more examples.`;

export const demo: Command = {
  name: "demo",
  summary: "load demo data (brand, owner, provider, games, a player with a balance) into the running node",
  usage: USAGE,
  async run({ config, flags, out }) {
    const edges = new EdgeClient(config);
    const given = typeof flags["owner-password"] === "string" ? flags["owner-password"] : undefined;
    const result = await seedDemo(edges, new OpsClient(config), given);
    for (const line of summary(result, given !== undefined)) out(line);
    out("");
    for (const line of tryThis(edges, result)) out(line);
    return 0;
  },
};

function summary(r: DemoResult, ownerPasswordGiven: boolean): string[] {
  const { brand, owner, provider, player } = r;
  const hosts = DEMO.domains.map((d) => `${d.domain} (${d.surface})`).join(", ");
  const ownerLine = !owner.created
    ? `an owner already exists (${owner.username}); its password is unchanged`
    : ownerPasswordGiven
      ? `${owner.username} created with the password you gave`
      : `${owner.username} created, password ${owner.password}   (shown once: keep it)`;
  const providerLine = provider.created
    ? `${DEMO.provider.code} (${DEMO.provider.dialect}) registered, secret ${provider.secret}   (shown once: keep it)`
    : `${DEMO.provider.code} already registered; its secret was shown then (rotate: POST /api/v1/providers/${DEMO.provider.code}/rotate-secret on the admin edge)`;
  return [
    `brand     ${DEMO.brand.id} ${brand.created ? "created" : "exists"} (${DEMO.brand.currency}); hosts ${hosts}`,
    `owner     ${ownerLine}`,
    `provider  ${providerLine}`,
    `games     ${DEMO.games.map((g) => `${DEMO.provider.code}/${g.code}`).join(", ")}`,
    `player    ${DEMO.player.username} ${player.created ? "signed up" : "exists, password reset"}, password ${player.password}   (id ${player.id})`,
    `deposit   ${DEMO.deposit.amount} ${r.deposit.approvedNow ? "approved" : "approved on an earlier run"}; ${DEMO.player.username}'s cash balance ${r.balance.cash} ${r.balance.currency}`,
  ];
}

function tryThis(edges: EdgeClient, r: DemoResult): string[] {
  const json = (value: unknown) => `'${JSON.stringify(value)}'`;
  const ownerPassword = r.owner.password ?? "<owner password>";
  const gateway = `-H "Host: ${DEMO.domains[0].domain}"`;
  return [
    "try this (jq reads the tokens; docs/surfaces.md has every edge):",
    `  G=${edges.url("gateway")}; A=${edges.url("admin")}`,
    `  TOKEN=$(curl -s $G/api/v1/auth/login ${gateway} -H 'content-type: application/json' -d ${json({ username: DEMO.player.username, password: r.player.password })} | jq -r .accessToken)`,
    `  curl -s $G/api/v1/wallet/balance ${gateway} -H "Authorization: Bearer $TOKEN"`,
    `  curl -s $G/api/v1/games ${gateway}`,
    `  STAFF=$(curl -s $A/api/v1/auth/login -H 'content-type: application/json' -d ${json({ username: r.owner.username, password: ownerPassword })} | jq -r .accessToken)`,
    `  curl -s $A/api/v1/brands/${DEMO.brand.id}/players/${r.player.id}/balance -H "Authorization: Bearer $STAFF"`,
  ];
}
