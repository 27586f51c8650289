-- A hold's expiry after a reserve: now + the hold TTL (milliseconds), never past the hold's latest_expires_at. A
-- reserve that creates a hold passes the cap it stores (hold_latest_expires_at, R__hold_latest_expires_at.sql), so a
-- new hold expires at now + the lesser of TTL and max lifetime; one that merges into an ACTIVE hold passes that hold's
-- latest_expires_at, so merging again and again never keeps a hold past it. merge_holds (R__merge_holds.sql), which
-- every reserve path calls, sets expires_at with it.
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION hold_expires_at(p_ttl_millis bigint, p_latest_expires_at timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT least(now() + p_ttl_millis * interval '1 millisecond', p_latest_expires_at)
$$;

COMMENT ON FUNCTION hold_expires_at(bigint, timestamptz) IS
    'A hold''s expiry after a reserve (now + TTL, never past latest_expires_at); defined in db/migration/R__hold_expires_at.sql of inventory-service';
