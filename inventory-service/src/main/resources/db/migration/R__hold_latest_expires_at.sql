-- A hold's cap, fixed when the hold is created: it may live until now + its max lifetime (flashsale.hold-max-lifetime,
-- in milliseconds), by the database clock of the statement. A new hold stores it in latest_expires_at and caps its
-- expiry with it (hold_expires_at, R__hold_expires_at.sql): merge_holds (R__merge_holds.sql), which every reserve
-- path calls (sql/reserve.sql, R__reserve_checked.sql, R__reserve_batch.sql).
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it, so a statement that calls it is
-- planned as if the expression were written out. This file is the rule's one home.
CREATE OR REPLACE FUNCTION hold_latest_expires_at(p_max_lifetime_millis bigint)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT now() + p_max_lifetime_millis * interval '1 millisecond'
$$;

COMMENT ON FUNCTION hold_latest_expires_at(bigint) IS
    'A new hold''s latest expiry (now + its max lifetime); defined in db/migration/R__hold_latest_expires_at.sql of inventory-service';
