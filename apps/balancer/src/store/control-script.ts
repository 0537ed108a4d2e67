import { CHANGES_CHANNEL, STORE_KEYS } from './store-keys';

/** The keys of `CONTROL_SCRIPT`, in order. */
export const CONTROL_KEYS = [
  STORE_KEYS.backends,
  STORE_KEYS.algorithm,
  STORE_KEYS.version,
  STORE_KEYS.seq,
  STORE_KEYS.epoch,
] as const;

export { CHANGES_CHANNEL };

/**
 * Every read and change of the shared control state, as one Lua script: Redis runs a script
 * atomically, so a change and its version bump are one transaction, and every reply carries the
 * whole state as it is right after it: `{code, version, algorithm, {url, entry, ...}, epoch}`.
 *
 * ARGV: op, channel, deadline (ms since the epoch, by Redis's clock), then the op's arguments.
 * A change that reaches Redis after its deadline is refused (`EXPIRED`): the replica that sent it
 * has answered 503 by then, and a 503 must mean nothing changed (a Redis that was stopped runs
 * what waited in its socket when it resumes). A change on an empty store (`EMPTY`) is refused too:
 * the replica seeds the store first, so a Redis that lost its data does not lose the pool.
 *
 * ops: read | seed algorithm (url weight state)... | algorithm json | add url weight|'' max
 *      | update url weight|'' state|'' | remove url
 */
export const CONTROL_SCRIPT = `
local backends, algorithm, version, seq, epoch = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local op, channel, deadline = ARGV[1], ARGV[2], tonumber(ARGV[3])

local function reply(code)
  return {code, redis.call('GET', version) or '0', redis.call('GET', algorithm) or '',
    redis.call('HGETALL', backends), redis.call('GET', epoch) or ''}
end
local function changed()
  redis.call('PUBLISH', channel, redis.call('INCR', version))
end

if op == 'read' then return reply('OK') end
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > deadline then return reply('EXPIRED') end

if op == 'seed' then
  if redis.call('EXISTS', version) == 1 then return reply('KEPT') end
  redis.call('DEL', backends, seq)
  redis.call('SET', algorithm, ARGV[4])
  redis.call('SET', epoch, ARGV[5])
  for i = 6, #ARGV, 3 do
    local entry = {weight = tonumber(ARGV[i + 1]), state = ARGV[i + 2], seq = redis.call('INCR', seq)}
    redis.call('HSET', backends, ARGV[i], cjson.encode(entry))
  end
  changed()
  return reply('SEEDED')
end

if redis.call('EXISTS', version) == 0 then return reply('EMPTY') end

if op == 'algorithm' then
  if redis.call('GET', algorithm) ~= ARGV[4] then
    redis.call('SET', algorithm, ARGV[4])
    changed()
  end
  return reply('OK')
end

local url = ARGV[4]
local current = redis.call('HGET', backends, url)
if op == 'add' then
  local weight = tonumber(ARGV[5])
  if current then
    local entry = cjson.decode(current)
    if weight and entry.weight ~= weight then
      entry.weight = weight
      redis.call('HSET', backends, url, cjson.encode(entry))
      changed()
    end
    return reply('EXISTS')
  end
  if redis.call('HLEN', backends) >= tonumber(ARGV[6]) then return reply('FULL') end
  local entry = {weight = weight or 1, state = 'active', seq = redis.call('INCR', seq)}
  redis.call('HSET', backends, url, cjson.encode(entry))
  changed()
  return reply('CREATED')
end

if not current then return reply('MISSING') end
if op == 'update' then
  local entry = cjson.decode(current)
  local weight = tonumber(ARGV[5])
  local dirty = false
  if weight and entry.weight ~= weight then entry.weight = weight; dirty = true end
  if ARGV[6] ~= '' and entry.state ~= ARGV[6] then entry.state = ARGV[6]; dirty = true end
  if dirty then
    redis.call('HSET', backends, url, cjson.encode(entry))
    changed()
  end
  return reply('UPDATED')
end
if op == 'remove' then
  redis.call('HDEL', backends, url)
  changed()
  return reply('REMOVED')
end
return redis.error_reply('loadex: unknown control op ' .. tostring(op))
`;
