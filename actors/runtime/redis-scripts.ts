import type { ChainableCommander, Redis } from "ioredis";

const FIELD = `
local function field(fields, name)
  if not fields then return false end
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
  return false
end
`;

/**
 * Claim entries of OTHER consumers idle past min-idle (the live owner never gets its own
 * in-flight entries back), dead-lettering an entry whose next delivery would exceed the limit.
 * XPENDING IDLE + XCLAIM rather than XAUTOCLAIM so entries the caller itself owns are skipped
 * without bumping their delivery count.
 * KEYS: stream, dead-letter stream. ARGV: group, consumer, min-idle ms, count, max deliveries,
 * now, start id. Returns { {id, envelope, deliveryCount}... }, next start id or "".
 */
const RECLAIM = `${FIELD}
local stream, dlq = KEYS[1], KEYS[2]
local group, me, minIdle, count = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local maxDeliveries, now, start = tonumber(ARGV[5]), ARGV[6], ARGV[7]
if redis.call('EXISTS', stream) == 0 then return {{}, ''} end
local ok, stale = pcall(redis.call, 'XPENDING', stream, group, 'IDLE', minIdle, start, '+', count)
if not ok then return {{}, ''} end
local claimed = {}
for _, p in ipairs(stale) do
  local id, owner, delivered = p[1], p[2], p[4]
  if owner ~= me then
    if delivered >= maxDeliveries then
      local entry = redis.call('XRANGE', stream, id, id)[1]
      if entry then
        redis.call('XADD', dlq, '*', 'e', field(entry[2], 'e'), 'id', id,
          'reason', 'delivered ' .. delivered .. ' times without an ack', 'count', delivered, 'at', now)
      end
      redis.call('XACK', stream, group, id)
    else
      local got = redis.call('XCLAIM', stream, group, me, 0, id)[1]
      local envelope = got and field(got[2], 'e')
      if envelope then
        table.insert(claimed, {id, envelope, delivered + 1})
      else
        redis.call('XACK', stream, group, id)
      end
    end
  end
end
local nextStart = ''
if #stale == tonumber(count) then nextStart = '(' .. stale[#stale][1] end
return {claimed, nextStart}
`;

/**
 * Move one pending entry to the dead-letter stream and acknowledge it; nothing if it is not
 * pending. KEYS: stream, dead-letter stream. ARGV: group, id, reason, delivery count, now.
 */
const DEAD_LETTER = `${FIELD}
local stream, dlq = KEYS[1], KEYS[2]
local group, id = ARGV[1], ARGV[2]
local ok, pending = pcall(redis.call, 'XPENDING', stream, group, id, id, 1)
if not ok or #pending == 0 then return 0 end
local entry = redis.call('XRANGE', stream, id, id)[1]
if entry then
  redis.call('XADD', dlq, '*', 'e', field(entry[2], 'e'), 'id', id, 'reason', ARGV[3], 'count', ARGV[4], 'at', ARGV[5])
end
redis.call('XACK', stream, group, id)
return 1
`;

/**
 * Drop entries below the oldest pending one or, with nothing pending, up to the group's
 * last-delivered id: never an undelivered or unacknowledged entry. Atomic, so a delivery
 * between the two reads cannot slip under the cut. KEYS: stream. ARGV: group.
 */
const TRIM = `
local stream, group = KEYS[1], ARGV[1]
if redis.call('EXISTS', stream) == 0 then return 0 end
local ok, summary = pcall(redis.call, 'XPENDING', stream, group)
if not ok then return 0 end
local minid = summary[2]
if summary[1] == 0 then
  minid = nil
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local name, last
    for i = 1, #g, 2 do
      if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
    end
    if name == group then
      local ms, seq = string.match(last, '^(%d+)-(%d+)$')
      minid = ms .. '-' .. string.format('%d', tonumber(seq) + 1)
    end
  end
end
if not minid then return 0 end
return redis.call('XTRIM', stream, 'MINID', minid)
`;

export type ReclaimReply = [claimed: [id: string, envelope: string, deliveryCount: number][], nextStart: string];

interface ScriptCalls<R> {
  mailboxReclaim(stream: string, dlq: string, group: string, consumer: string, minIdleMs: number, count: number, maxDeliveries: number, now: number, start: string): R;
  mailboxDeadLetter(stream: string, dlq: string, group: string, id: string, reason: string, deliveryCount: number, now: number): R;
  mailboxTrim(stream: string, group: string): R;
}

export interface ScriptedPipeline extends ChainableCommander, ScriptCalls<ScriptedPipeline> {}
export type ScriptedRedis = { pipeline(): ScriptedPipeline } & ScriptCalls<Promise<unknown>> & Redis;

export function defineMailboxScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand("mailboxReclaim", { numberOfKeys: 2, lua: RECLAIM });
  redis.defineCommand("mailboxDeadLetter", { numberOfKeys: 2, lua: DEAD_LETTER });
  redis.defineCommand("mailboxTrim", { numberOfKeys: 1, lua: TRIM });
  return redis as ScriptedRedis;
}
