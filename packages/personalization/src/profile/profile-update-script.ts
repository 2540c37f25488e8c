import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The atomic update of one user's profile hash, run inside Redis (a Lua script runs alone: concurrent
 * interactions of one user cannot interleave, so none is lost), in one round trip.
 *
 * Fields of the hash: `ts` the reference time of the decayed sums; `c:<category>` decayed category weights;
 * `pw` / `pt` decayed weight and weight × tier of the price-revealing choices; `recent` and `sess` JSON
 * arrays of service ids (most recent first); `sid` / `st` the session id and time of its latest event;
 * `n` the events recorded; `last` the latest event time.
 *
 * Decay on write: an event at t later than `ts` first multiplies every decayed sum by 2^(−(t − ts)/h) and
 * moves `ts` to t; an event earlier than `ts` (out of order) is added with weight w · 2^(−(ts − t)/h). Either
 * way each sum equals Σ w_e · 2^(−(ts − t_e)/h) whatever the arrival order: the formula of `timeDecay`
 * (@recsys/features), which the reader applies from `ts` to the present. Category weights decayed
 * below 1e-6 are dropped.
 *
 * KEYS[1] the hash. ARGV: 1 t (s), 2 h half-life (s), 3 TTL (s), 4 category weight w ≥ 0 (split evenly over
 * the categories), 5 price weight (0: the event says nothing about price), 6 price tier, 7 service id,
 * 8 session id ('' = none), 9 '1' when the event enters the recent and session lists, 10 recent limit,
 * 11 session limit, 12 session gap (s), 13… the service's categories. Returns the event count.
 */
export const PROFILE_UPDATE_LUA = `
local key = KEYS[1]
local t = tonumber(ARGV[1])
local h = tonumber(ARGV[2])
local w = tonumber(ARGV[4])
local pw = tonumber(ARGV[5])
local function fmt(x) return string.format('%.17g', x) end
local ts = tonumber(redis.call('HGET', key, 'ts'))
local scale = 1
if ts == nil then
  redis.call('HSET', key, 'ts', fmt(t))
elseif t > ts then
  local f = 2 ^ (-(t - ts) / h)
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local name = all[i]
    local isCategory = string.sub(name, 1, 2) == 'c:'
    if isCategory or name == 'pw' or name == 'pt' then
      local v = tonumber(all[i + 1]) * f
      if isCategory and v < 1e-6 then
        redis.call('HDEL', key, name)
      else
        redis.call('HSET', key, name, fmt(v))
      end
    end
  end
  redis.call('HSET', key, 'ts', fmt(t))
else
  scale = 2 ^ (-(ts - t) / h)
end
local categories = #ARGV - 12
if w > 0 and categories > 0 then
  local each = fmt(w * scale / categories)
  for i = 13, #ARGV do
    redis.call('HINCRBYFLOAT', key, 'c:' .. ARGV[i], each)
  end
end
if pw > 0 then
  redis.call('HINCRBYFLOAT', key, 'pw', fmt(pw * scale))
  redis.call('HINCRBYFLOAT', key, 'pt', fmt(pw * scale * tonumber(ARGV[6])))
end
if ARGV[9] == '1' then
  local id = ARGV[7]
  local function push(field, limit)
    local raw = redis.call('HGET', key, field)
    local out = { id }
    if raw then
      for _, x in ipairs(cjson.decode(raw)) do
        if x ~= id and #out < limit then out[#out + 1] = x end
      end
    end
    redis.call('HSET', key, field, cjson.encode(out))
  end
  push('recent', tonumber(ARGV[10]))
  local sid = ARGV[8]
  local lastSid = redis.call('HGET', key, 'sid') or ''
  local st = tonumber(redis.call('HGET', key, 'st'))
  local fresh
  if sid ~= '' then
    fresh = sid ~= lastSid
  else
    fresh = lastSid ~= '' or st == nil or t - st > tonumber(ARGV[12])
  end
  if fresh then redis.call('HDEL', key, 'sess') end
  push('sess', tonumber(ARGV[11]))
  if st == nil or t > st then st = t end
  redis.call('HSET', key, 'sid', sid, 'st', fmt(st))
end
local n = redis.call('HINCRBY', key, 'n', 1)
local last = tonumber(redis.call('HGET', key, 'last'))
if last == nil or t > last then redis.call('HSET', key, 'last', fmt(t)) end
redis.call('EXPIRE', key, tonumber(ARGV[3]))
return n
`;

const SHA1 = createHash('sha1').update(PROFILE_UPDATE_LUA).digest('hex');

/** Runs the script by its SHA1 (EVALSHA), loading it with EVAL the first time a server lacks it. */
export async function runProfileUpdate(redis: Redis, key: string, args: readonly string[]): Promise<number> {
  try {
    return Number(await redis.evalsha(SHA1, 1, key, ...args));
  } catch (error) {
    // Redis error replies start with their code; NOSCRIPT: this server has not seen the script yet.
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return Number(await redis.eval(PROFILE_UPDATE_LUA, 1, key, ...args));
  }
}
