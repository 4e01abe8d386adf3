-- Every state change of the routing engine, as one atomic script loaded once and run by SHA.
-- KEYS[1] is the key prefix "{tag}:"; every key below is built from it, so all of them hash to
-- the slot of the tag and the script runs unchanged on Redis Cluster.
-- ARGV[1] = operation, ARGV[2] = now (ms), ARGV[3] = settings "offerMs,maxNoAnswer,scan,clerkScan,
-- streamMax,slMs,shortAbandonMs,statsWindowMin", ARGV[4..] = operation arguments.
-- Errors are returned before the first write, so a rejected call changes nothing.

local P = KEYS[1]
local OP = ARGV[1]
local NOW = tonumber(ARGV[2])
local cfg = {}
for v in string.gmatch(ARGV[3], '[^,]+') do cfg[#cfg + 1] = tonumber(v) end
local OFFER_MS, MAX_NOANSWER, SCAN, CLERK_SCAN, STREAM_MAX, SL_MS, SHORT_AB_MS, WINDOW_MIN =
  cfg[1], cfg[2], cfg[3], cfg[4], cfg[5], cfg[6], cfg[7], cfg[8]
local SCORE_BAND = 1e13 -- larger than any epoch millisecond: priority and proficiency bands

local function k(...) return P .. table.concat({ ... }, ':') end
local function fail(code, detail) return redis.error_reply(code .. ' ' .. (detail or '')) end

local defs = {}
local function qdef(q)
  if defs[q] == nil then
    local raw = redis.call('HGET', k('queues'), q)
    defs[q] = raw and cjson.decode(raw) or false
  end
  return defs[q]
end

-- Reads the definitions of many queues in one call (a clerk serves several).
local function qdefs(queues)
  local missing = {}
  for _, q in ipairs(queues) do
    if defs[q] == nil then missing[#missing + 1] = q end
  end
  if #missing == 0 then return end
  local raw = redis.call('HMGET', k('queues'), unpack(missing))
  for i, q in ipairs(missing) do defs[q] = raw[i] and cjson.decode(raw[i]) or false end
end

local function emit(ev, q, contact, clerk, d1, d2, d3)
  redis.call('XADD', k('events'), 'MAXLEN', '~', STREAM_MAX, '*', 'ts', NOW, 'event', ev,
    'queue', q or '', 'contact', contact or '', 'clerk', clerk or '',
    'd1', tostring(d1 or ''), 'd2', tostring(d2 or ''), 'd3', tostring(d3 or ''))
end

local expiring = {}
local function stat(q, field, by)
  local key = k('stats', q, math.floor(NOW / 60000))
  redis.call('HINCRBY', key, field, by)
  -- one expiry per key and call: accept counts up to three fields of the same minute
  if not expiring[key] then
    expiring[key] = true
    redis.call('PEXPIRE', key, (WINDOW_MIN + 2) * 60000)
  end
end

local function split(s)
  local out = {}
  for v in string.gmatch(s or '', '[^,]+') do out[#out + 1] = v end
  return out
end

-- Changes to the per-skill availability indexes wait in `moved` until the operation ends
-- (flush): a clerk freed and offered the next contact in the same script, the common case,
-- never touches the sets. Routing reads the sets through `moved` (available_in, candidates).
-- The clerk hash's 'indexed' is the idle time the clerk is filed under ('' = in no set).
local moved, moved_order = {}, {}

-- Recomputes a clerk's visible state and its place in the per-skill availability indexes.
-- status is what the clerk chose (ready, break, offline, not_responding, wrapup); the visible
-- state adds offered/busy/available from its load.
local function refresh_clerk(cid)
  local key = k('clerk', cid)
  local f = redis.call('HMGET', key, 'status', 'load', 'offers', 'cap', 'skills', 'idle', 'state', 'reason', 'indexed')
  local status, load, offers, cap, idle = f[1], tonumber(f[2]), tonumber(f[3]), tonumber(f[4]), tonumber(f[6])
  local state = status
  if status == 'ready' then
    if offers > 0 then state = 'offered' elseif load > 0 then state = 'busy' else state = 'available' end
  end
  if state ~= f[7] then
    redis.call('HSET', key, 'state', state, 'since', NOW)
    -- the same state in one hash for all clerks, so figures read a queue's clerks in one HMGET
    redis.call('HSET', k('clerkstates'), cid, state)
    emit('CLERKSTATE', '', '', cid, state, f[8] or '', f[7] or '')
  end
  local want = (status == 'ready' and load < cap) and f[6] or ''
  if not moved[cid] then
    if f[9] == want then return end
    moved_order[#moved_order + 1] = cid
  end
  local m = { was = f[9], want = want, names = split(f[5]), score = {} }
  if want ~= '' then
    local fields = {}
    for i, s in ipairs(m.names) do fields[i] = 'sk:' .. s end
    local profs = redis.call('HMGET', key, unpack(fields))
    for i, s in ipairs(m.names) do m.score[s] = -tonumber(profs[i]) * SCORE_BAND + idle end
  end
  moved[cid] = m
end

local function flush()
  for _, cid in ipairs(moved_order) do
    local m = moved[cid]
    if m.want ~= m.was then
      for _, s in ipairs(m.names) do
        if m.want ~= '' then
          redis.call('ZADD', k('avail', s), m.score[s], cid)
        else
          redis.call('ZREM', k('avail', s), cid)
        end
      end
      redis.call('HSET', k('clerk', cid), 'indexed', m.want)
    end
  end
end

-- Is anybody available with this skill: a clerk moved in during this script, or a member of
-- the set that has not moved out (the set still holds clerks offered earlier in this script).
local function available_in(skill)
  local gone = 0
  for _, cid in ipairs(moved_order) do
    local m = moved[cid]
    if m.score[skill] then return true end
    if m.want == '' then gone = gone + 1 end
  end
  local members = redis.call('ZRANGE', k('avail', skill), 0, gone)
  for _, cid in ipairs(members) do
    if not moved[cid] then return true end
  end
  return false
end

-- Clerks of this skill scoring below `upto`, best first (ties by id, as in a sorted set): the
-- set's first CLERK_SCAN members without the moved clerks, merged with the moved-in ones.
local function candidates(skill, upto)
  local extra = {}
  for _, cid in ipairs(moved_order) do
    local sc = moved[cid].score[skill]
    if sc and sc < upto then extra[#extra + 1] = { id = cid, score = sc } end
  end
  local out = {}
  if #extra == 0 then
    for _, c in ipairs(redis.call('ZRANGEBYSCORE', k('avail', skill), '-inf', '(' .. upto, 'LIMIT', 0, CLERK_SCAN)) do
      if not moved[c] then out[#out + 1] = c end
    end
    return out
  end
  local r = redis.call('ZRANGEBYSCORE', k('avail', skill), '-inf', '(' .. upto, 'WITHSCORES', 'LIMIT', 0, CLERK_SCAN)
  for i = 1, #r, 2 do
    if not moved[r[i]] then extra[#extra + 1] = { id = r[i], score = tonumber(r[i + 1]) } end
  end
  table.sort(extra, function(a, b) return a.score < b.score or (a.score == b.score and a.id < b.id) end)
  for i, c in ipairs(extra) do out[i] = c.id end
  return out
end

-- Can this clerk take this contact now, at proficiency minp in every skill of the queue?
local function eligible(cid, def, lang, minp, skip)
  if cid == skip then return false end
  local fields = { 'status', 'load', 'cap', 'lang:' .. lang }
  for _, s in ipairs(def.skills) do fields[#fields + 1] = 'sk:' .. s end
  local f = redis.call('HMGET', k('clerk', cid), unpack(fields))
  if f[1] ~= 'ready' or tonumber(f[2]) >= tonumber(f[3]) or not f[4] then return false end
  for i = 5, #f do
    if not f[i] or tonumber(f[i]) < minp then return false end
  end
  return true
end

local function offer(id, q, cid, waited)
  redis.call('ZREM', k('waiting', q), id)
  redis.call('ZREM', k('arrivals', q), id)
  local seq = redis.call('HINCRBY', k('contact', id), 'seq', 1)
  local exp = NOW + OFFER_MS
  redis.call('HSET', k('contact', id), 'state', 'offered', 'clerk', cid, 'offer_exp', exp, 'offered_at', NOW)
  redis.call('ZADD', k('offers'), exp, id)
  redis.call('SADD', k('clerk', cid, 'contacts'), id)
  redis.call('HINCRBY', k('clerk', cid), 'load', 1)
  redis.call('HINCRBY', k('clerk', cid), 'offers', 1)
  emit('OFFER', q, id, cid, seq, exp, waited)
  refresh_clerk(cid)
end

-- The best clerk for one waiting contact: the preferred clerk while the preference lasts,
-- else the highest proficiency in the queue's first skill, longest idle among equals.
local function try_offer(id, q)
  local def = qdef(q)
  local f = redis.call('HMGET', k('contact', id), 'lang', 'enq', 'pref', 'pref_until', 'skip')
  local waited = NOW - tonumber(f[2])
  local minp = def.minProficiency
  for _, step in ipairs(def.steps) do
    if step.minProficiency and waited >= step.afterMs then minp = step.minProficiency end
  end
  local cid
  if f[3] and f[3] ~= '' and NOW < tonumber(f[4]) then
    if eligible(f[3], def, f[1], minp, nil) then cid = f[3] end
  else
    for _, c in ipairs(candidates(def.skills[1], -(minp - 1) * SCORE_BAND)) do
      if eligible(c, def, f[1], minp, f[5]) then cid = c; break end
    end
  end
  if cid then offer(id, q, cid, waited) end
  return cid
end

-- The next waiting contact of one queue in a routing pass, read a few at a time: usually the
-- first one is offered and the freed clerk is full, so reading 20 per queue was wasted work.
-- Contacts offered in this pass have left the set, so the next unread one is at rank `skipped`.
local HEAD_BATCH = 4
local function head(h)
  if h.pos > #h.buf and not h.exhausted and h.skipped < SCAN then
    local n = math.min(HEAD_BATCH, SCAN - h.skipped)
    local r = redis.call('ZRANGE', k('waiting', h.q), h.skipped, h.skipped + n - 1, 'WITHSCORES')
    h.buf, h.pos = {}, 1
    for i = 1, #r, 2 do h.buf[#h.buf + 1] = { id = r[i], score = tonumber(r[i + 1]) } end
    h.exhausted = #h.buf < n
  end
  return h.buf[h.pos]
end

-- Offers waiting contacts of these queues in priority-then-arrival order across all of them
-- (a merge of the queues' sorted heads), skipping queues whose first skill has nobody
-- available. A pass ends when no queue has both a contact and an available clerk, or after
-- SCAN contacts could not be offered (per queue, and in all): offers themselves are bounded by
-- the clerks available, so a pass leaves no contact waiting that an available clerk could take.
local function route(queues)
  qdefs(queues)
  local heads, seen, avail = {}, {}, {}
  local function has_avail(skill)
    if avail[skill] == nil then avail[skill] = available_in(skill) end
    return avail[skill]
  end
  for _, q in ipairs(queues) do
    local def = qdef(q)
    if def and not seen[q] then
      seen[q] = true
      heads[#heads + 1] = { q = q, skill = def.skills[1], buf = {}, pos = 1, skipped = 0 }
    end
  end
  local misses = 0
  while misses < SCAN do
    local best, bh
    for _, h in ipairs(heads) do
      if has_avail(h.skill) then
        local c = head(h)
        -- ties broken by id, as a sorted set orders equal scores
        if c and (not best or c.score < best.score or (c.score == best.score and c.id < best.id)) then
          best, bh = c, h
        end
      end
    end
    if not best then return end
    bh.pos = bh.pos + 1
    if try_offer(best.id, bh.q) then
      -- an offer can take the last available clerk of any skill: ask again
      avail = {}
    else
      bh.skipped = bh.skipped + 1
      misses = misses + 1
    end
  end
end

local function requeue(id, q, event, cid, d1)
  local f = redis.call('HMGET', k('contact', id), 'score', 'enq')
  redis.call('HSET', k('contact', id), 'state', 'waiting', 'clerk', '', 'queue', q)
  redis.call('ZADD', k('waiting', q), f[1], id)
  redis.call('ZADD', k('arrivals', q), f[2], id)
  emit(event, q, id, cid, d1, '', '')
end

-- Takes a contact off a clerk (offer returned, call finished or transferred).
local function release(cid, id, was_offer)
  redis.call('SREM', k('clerk', cid, 'contacts'), id)
  redis.call('HINCRBY', k('clerk', cid), 'load', -1)
  if was_offer then
    redis.call('HINCRBY', k('clerk', cid), 'offers', -1)
    redis.call('ZREM', k('offers'), id)
  end
end

local function return_offer(id, event)
  local f = redis.call('HMGET', k('contact', id), 'clerk', 'queue', 'offered_at')
  local cid, q = f[1], f[2]
  release(cid, id, true)
  redis.call('HSET', k('contact', id), 'skip', cid)
  requeue(id, q, event, cid, NOW - tonumber(f[3]))
  if event == 'RINGNOANSWER' then
    local n = redis.call('HINCRBY', k('clerk', cid), 'noans', 1)
    if n >= MAX_NOANSWER and redis.call('HGET', k('clerk', cid), 'status') == 'ready' then
      redis.call('HSET', k('clerk', cid), 'status', 'not_responding', 'reason', 'no_answer')
    end
  end
  refresh_clerk(cid)
  return q
end

local function clerk_queues(cid) return split(redis.call('HGET', k('clerk', cid), 'queues')) end

local function end_wrapup(cid)
  local f = redis.call('HMGET', k('clerk', cid), 'wrap_start', 'last_queue')
  redis.call('ZREM', k('wrapups'), cid)
  stat(f[2], 'handle_ms', NOW - tonumber(f[1]))
  redis.call('HSET', k('clerk', cid), 'status', 'ready', 'idle', NOW, 'reason', '')
end

-- After a call leaves a clerk: wrap-up for the queue's configured time, or idle at once.
local function after_call(cid, q)
  local f = redis.call('HMGET', k('clerk', cid), 'load', 'status')
  local wrap = qdef(q).wrapUpMs
  if tonumber(f[1]) == 0 and f[2] == 'ready' then
    if wrap > 0 then
      redis.call('HSET', k('clerk', cid), 'status', 'wrapup', 'wrap_start', NOW, 'last_queue', q, 'reason', '')
      redis.call('ZADD', k('wrapups'), NOW + wrap, cid)
    else
      redis.call('HSET', k('clerk', cid), 'idle', NOW)
    end
  end
  refresh_clerk(cid)
end

local function contact_fields(id)
  local f = redis.call('HMGET', k('contact', id), 'state', 'clerk', 'queue', 'seq', 'offer_exp', 'enq', 'connected_at')
  return { state = f[1], clerk = f[2], queue = f[3], seq = f[4], exp = tonumber(f[5]), enq = tonumber(f[6]), connected_at = tonumber(f[7]) }
end

-- The checks accept and decline share: this clerk holds this very offer, still ringing.
local function check_offer(cid, id, seq)
  if redis.call('EXISTS', k('clerk', cid)) == 0 then return nil, fail('UNKNOWN_CLERK', cid) end
  local c = contact_fields(id)
  if not c.state then return nil, fail('OFFER_EXPIRED', id) end
  if seq ~= c.seq then return nil, fail('OFFER_EXPIRED', id) end
  if c.clerk ~= cid then return nil, fail('NOT_YOUR_OFFER', id) end
  if c.state == 'connected' then return nil, fail('ALREADY_ACCEPTED', id) end
  if c.state ~= 'offered' or NOW > c.exp then return nil, fail('OFFER_EXPIRED', id) end
  return c
end

local function check_connected(cid, id)
  local c = contact_fields(id)
  if not c.state then return nil, fail('UNKNOWN_CONTACT', id) end
  if c.state ~= 'connected' or c.clerk ~= cid then return nil, fail('NOT_YOUR_CONTACT', id) end
  return c
end

local function clerk_offline(cid, reason)
  for _, id in ipairs(redis.call('SMEMBERS', k('clerk', cid, 'contacts'))) do
    local c = contact_fields(id)
    if c.state == 'offered' then
      return_offer(id, 'RINGCANCELED')
    else
      release(cid, id, false)
      requeue(id, c.queue, 'CLERKLOST', cid, NOW - c.connected_at)
    end
  end
  redis.call('ZREM', k('presence'), cid)
  redis.call('ZREM', k('wrapups'), cid)
  redis.call('HSET', k('clerk', cid), 'status', 'offline', 'reason', reason)
  refresh_clerk(cid)
end

local function metrics(q)
  local out = { redis.call('ZCARD', k('waiting', q)) }
  local oldest = redis.call('ZRANGE', k('arrivals', q), 0, 0, 'WITHSCORES')
  out[2] = oldest[2] and (NOW - tonumber(oldest[2])) or 0
  local states = { available = 0, offered = 0, busy = 0, wrapup = 0, ['break'] = 0, not_responding = 0, offline = 0 }
  local clerks = redis.call('SMEMBERS', k('qclerks', q))
  -- HMGET in slices: Lua's unpack takes at most a few thousand values
  for from = 1, #clerks, 1000 do
    local upto = math.min(#clerks, from + 999)
    local known = redis.call('HMGET', k('clerkstates'), unpack(clerks, from, upto))
    for i = from, upto do
      -- a clerk unchanged since before clerkstates existed still has its state in its own hash
      local s = known[i - from + 1] or redis.call('HGET', k('clerk', clerks[i]), 'state')
      if s then states[s] = (states[s] or 0) + 1 end
    end
  end
  for _, s in ipairs({ 'available', 'offered', 'busy', 'wrapup', 'break', 'not_responding', 'offline' }) do
    out[#out + 1] = states[s]
  end
  local sums = { entered = 0, answered = 0, answered_in_sl = 0, wait_ms = 0, abandoned = 0, abandoned_short = 0, handled = 0, handle_ms = 0 }
  local minute = math.floor(NOW / 60000)
  for m = minute - WINDOW_MIN + 1, minute do
    local h = redis.call('HGETALL', k('stats', q, m))
    for i = 1, #h, 2 do sums[h[i]] = (sums[h[i]] or 0) + tonumber(h[i + 1]) end
  end
  for _, s in ipairs({ 'entered', 'answered', 'answered_in_sl', 'wait_ms', 'abandoned', 'abandoned_short', 'handled', 'handle_ms' }) do
    out[#out + 1] = sums[s]
  end
  return out
end

local ops = {}

-- ARGV: id, queue, lang, priority, order (ms), preferred clerk, preferred until (ms)
function ops.enqueue(a)
  local id, q, lang, prio, order, pref, pref_until = a[1], a[2], a[3], tonumber(a[4]), tonumber(a[5]), a[6], a[7]
  if not qdef(q) then return fail('UNKNOWN_QUEUE', q) end
  if redis.call('EXISTS', k('contact', id)) == 1 then return fail('CONTACT_EXISTS', id) end
  local score = (9 - prio) * SCORE_BAND + order
  redis.call('HSET', k('contact', id), 'queue', q, 'lang', lang, 'prio', prio, 'score', score, 'enq', NOW,
    'state', 'waiting', 'clerk', '', 'seq', 0, 'pref', pref, 'pref_until', pref_until, 'skip', '')
  redis.call('ZADD', k('waiting', q), score, id)
  redis.call('ZADD', k('arrivals', q), NOW, id)
  local pos = redis.call('ZRANK', k('waiting', q), id) + 1
  redis.call('HSET', k('contact', id), 'origpos', pos)
  stat(q, 'entered', 1)
  emit('ENTERQUEUE', q, id, '', prio, pos, string.format('%.0f', score))
  route({ q })
  local c = contact_fields(id)
  return { c.state, c.clerk, tonumber(c.seq), c.exp or 0, pos }
end

-- ARGV: clerk, offer sequence number, contact
function ops.accept(a)
  local cid, seq, id = a[1], a[2], a[3]
  local c, err = check_offer(cid, id, seq)
  if not c then return err end
  redis.call('ZREM', k('offers'), id)
  redis.call('HINCRBY', k('clerk', cid), 'offers', -1)
  redis.call('HSET', k('clerk', cid), 'noans', 0)
  redis.call('HSET', k('contact', id), 'state', 'connected', 'connected_at', NOW)
  local hold = NOW - c.enq
  stat(c.queue, 'answered', 1)
  stat(c.queue, 'wait_ms', hold)
  if hold <= SL_MS then stat(c.queue, 'answered_in_sl', 1) end
  emit('CONNECT', c.queue, id, cid, hold, seq, NOW - (c.exp - OFFER_MS))
  refresh_clerk(cid)
  return { c.queue, hold }
end

function ops.decline(a)
  local cid, seq, id = a[1], a[2], a[3]
  local c, err = check_offer(cid, id, seq)
  if not c then return err end
  local q = return_offer(id, 'DECLINE')
  local queues = clerk_queues(cid)
  table.insert(queues, 1, q)
  route(queues)
  return 'OK'
end

-- ARGV: clerk, contact
function ops.complete(a)
  local cid, id = a[1], a[2]
  local c, err = check_connected(cid, id)
  if not c then return err end
  release(cid, id, false)
  redis.call('DEL', k('contact', id), k('contact', id, 'parties'))
  stat(c.queue, 'handled', 1)
  stat(c.queue, 'handle_ms', NOW - c.connected_at)
  emit('COMPLETE', c.queue, id, cid, c.connected_at - c.enq, NOW - c.connected_at, '')
  after_call(cid, c.queue)
  route(clerk_queues(cid))
  return 'OK'
end

-- ARGV: clerk, contact, target queue, target clerk ('' for any), preferred until (ms)
function ops.transfer(a)
  local cid, id, tq, tclerk, pref_until = a[1], a[2], a[3], a[4], a[5]
  if not qdef(tq) then return fail('UNKNOWN_QUEUE', tq) end
  if tclerk ~= '' and redis.call('EXISTS', k('clerk', tclerk)) == 0 then return fail('UNKNOWN_CLERK', tclerk) end
  local c, err = check_connected(cid, id)
  if not c then return err end
  release(cid, id, false)
  stat(c.queue, 'handled', 1)
  stat(c.queue, 'handle_ms', NOW - c.connected_at)
  redis.call('HSET', k('contact', id), 'pref', tclerk, 'pref_until', pref_until, 'skip', cid)
  requeue(id, tq, 'TRANSFER', cid, tq)
  after_call(cid, c.queue)
  local queues = clerk_queues(cid)
  table.insert(queues, 1, tq)
  route(queues)
  return 'OK'
end

-- ARGV: clerk, contact, third party
function ops.conference(a)
  local cid, id, party = a[1], a[2], a[3]
  local c, err = check_connected(cid, id)
  if not c then return err end
  if redis.call('SADD', k('contact', id, 'parties'), party) == 0 then return fail('ALREADY_IN_CONFERENCE', party) end
  emit('CONFERENCE', c.queue, id, cid, party, '', '')
  return 'OK'
end

-- ARGV: contact, event (ABANDON or CANCEL)
function ops.leave(a)
  local id, event = a[1], a[2]
  if redis.call('EXISTS', k('contact', id)) == 0 then return fail('UNKNOWN_CONTACT', id) end
  local c = contact_fields(id)
  if c.state == 'connected' then return fail('NOT_WAITING', id) end
  local pos = 0
  if c.state == 'offered' then
    release(c.clerk, id, true)
    refresh_clerk(c.clerk)
  else
    pos = redis.call('ZRANK', k('waiting', c.queue), id) + 1
  end
  redis.call('ZREM', k('waiting', c.queue), id)
  redis.call('ZREM', k('arrivals', c.queue), id)
  local origpos = redis.call('HGET', k('contact', id), 'origpos')
  redis.call('DEL', k('contact', id))
  local waited = NOW - c.enq
  if event == 'ABANDON' then
    stat(c.queue, 'abandoned', 1)
    if waited < SHORT_AB_MS then stat(c.queue, 'abandoned_short', 1) end
  end
  emit(event, c.queue, id, c.clerk, pos, origpos, waited)
  if c.state == 'offered' then route(clerk_queues(c.clerk)) end
  return 'OK'
end

-- ARGV: clerk, capacity, skills "a=3,b=5", languages "hu,en", queues "q1,q2"
function ops.register(a)
  local cid, cap, skills, langs, queues = a[1], tonumber(a[2]), a[3], a[4], a[5]
  local key = k('clerk', cid)
  local old = redis.call('HMGET', key, 'skills', 'queues', 'status', 'load')
  if old[4] and tonumber(old[4]) > 0 then return fail('CLERK_BUSY', cid) end
  for _, s in ipairs(split(old[1])) do
    redis.call('ZREM', k('avail', s), cid)
    redis.call('HDEL', key, 'sk:' .. s)
  end
  redis.call('HDEL', key, 'indexed')
  for _, q in ipairs(split(old[2])) do redis.call('SREM', k('qclerks', q), cid) end
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if string.sub(f, 1, 5) == 'lang:' then redis.call('HDEL', key, f) end
  end
  local names = {}
  for pair in string.gmatch(skills, '[^,]+') do
    local s, p = string.match(pair, '([^=]+)=(%d)')
    names[#names + 1] = s
    redis.call('HSET', key, 'sk:' .. s, p)
  end
  for _, l in ipairs(split(langs)) do redis.call('HSET', key, 'lang:' .. l, 1) end
  for _, q in ipairs(split(queues)) do redis.call('SADD', k('qclerks', q), cid) end
  redis.call('HSET', key, 'cap', cap, 'skills', table.concat(names, ','), 'queues', queues)
  if not old[3] then
    redis.call('HSET', key, 'status', 'offline', 'load', 0, 'offers', 0, 'idle', NOW, 'noans', 0, 'reason', '')
  end
  refresh_clerk(cid)
  return 'OK'
end

-- ARGV: clerk, status (ready, break, offline), reason, node, presence ttl (ms)
function ops.state(a)
  local cid, status, reason, node, ttl = a[1], a[2], a[3], a[4], tonumber(a[5])
  local key = k('clerk', cid)
  local f = redis.call('HMGET', key, 'status', 'load')
  if not f[1] then return fail('UNKNOWN_CLERK', cid) end
  if status ~= 'ready' and tonumber(f[2]) > 0 then return fail('CLERK_BUSY', cid) end
  if status == 'offline' then
    clerk_offline(cid, reason)
    return 'OK'
  end
  if f[1] == 'wrapup' then end_wrapup(cid) end
  if status == 'ready' then
    if f[1] ~= 'ready' then redis.call('HSET', key, 'idle', NOW) end
    redis.call('HSET', key, 'status', 'ready', 'reason', '', 'noans', 0)
  else
    redis.call('HSET', key, 'status', 'break', 'reason', reason)
  end
  redis.call('HSET', key, 'node', node)
  redis.call('ZADD', k('presence'), NOW + ttl, cid)
  refresh_clerk(cid)
  if status == 'ready' then route(clerk_queues(cid)) end
  return 'OK'
end

-- ARGV: node, ttl (ms), clerks...: extends presence of clerks that are signed in.
function ops.heartbeat(a)
  local node, ttl = a[1], tonumber(a[2])
  if #a < 3 then return 0 end
  local scores = redis.call('ZMSCORE', k('presence'), unpack(a, 3))
  local scored, alive = {}, {}
  for i = 3, #a do
    if scores[i - 2] then
      scored[#scored + 1] = NOW + ttl
      scored[#scored + 1] = a[i]
      alive[#alive + 1] = a[i]
    end
  end
  if #alive == 0 then return 0 end
  redis.call('ZADD', k('presence'), 'XX', unpack(scored))
  for _, cid in ipairs(alive) do redis.call('HSET', k('clerk', cid), 'node', node) end
  return #alive
end

-- Expired offers, expired presence, finished wrap-ups, overflow, then routes every queue
-- (relaxation steps and preferred-clerk windows are functions of time). Safe on many nodes
-- at once: each item is taken inside this script, so a second sweeper finds nothing left.
function ops.sweep(a)
  local done = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', k('offers'), '-inf', NOW, 'LIMIT', 0, 500)) do
    return_offer(id, 'RINGNOANSWER'); done = done + 1
  end
  for _, cid in ipairs(redis.call('ZRANGEBYSCORE', k('presence'), '-inf', NOW, 'LIMIT', 0, 500)) do
    clerk_offline(cid, 'presence_timeout'); done = done + 1
  end
  for _, cid in ipairs(redis.call('ZRANGEBYSCORE', k('wrapups'), '-inf', NOW, 'LIMIT', 0, 500)) do
    end_wrapup(cid); refresh_clerk(cid); done = done + 1
  end
  local names = redis.call('HKEYS', k('queues'))
  for _, q in ipairs(names) do
    for _, step in ipairs(qdef(q).steps) do
      if step.overflowTo then
        local due = redis.call('ZRANGEBYSCORE', k('arrivals', q), '-inf', NOW - step.afterMs, 'LIMIT', 0, 500)
        for _, id in ipairs(due) do
          redis.call('ZREM', k('waiting', q), id)
          redis.call('ZREM', k('arrivals', q), id)
          requeue(id, step.overflowTo, 'OVERFLOW', '', q)
          done = done + 1
        end
      end
    end
  end
  route(names)
  return done
end

-- ARGV: queue names
function ops.metrics(a)
  local out = {}
  for _, q in ipairs(a) do out[#out + 1] = metrics(q) end
  return out
end

-- ARGV: queue, contacts...: rank of each (-1 when not waiting there) and the queue's metrics.
function ops.positions(a)
  local q = a[1]
  local ranks = {}
  for i = 2, #a do
    local r = redis.call('ZRANK', k('waiting', q), a[i])
    ranks[#ranks + 1] = r and (r + 1) or -1
  end
  return { ranks, metrics(q) }
end

function ops.define(a)
  redis.call('HSET', k('queues'), a[1], a[2])
  return 'OK'
end

local op = ops[OP]
if not op then return fail('INVALID_INPUT', 'unknown operation ' .. OP) end
local args = {}
for i = 4, #ARGV do args[#args + 1] = ARGV[i] end
local result = op(args)
flush()
return result
