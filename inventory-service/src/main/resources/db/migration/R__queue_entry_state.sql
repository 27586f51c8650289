-- A queue entry's state as its shopper is told it: the stored state, except that an admission past its deadline
-- (admission_lapsed, R__admission_lapsed.sql) reads LAPSED at once, before the keeper marks it so. The shopper's
-- ticket (QueueRepository) and reserve's NOT_ADMITTED answer (R__reserve_checked.sql) read it.
-- It calls admission_lapsed, and a LANGUAGE sql body is checked when it is created: Flyway applies repeatable
-- migrations in the order of their descriptions, and "queue entry state" sorts after "admission lapsed".
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION queue_entry_state(p_state text, p_admission_expires_at timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN admission_lapsed(p_state, p_admission_expires_at) THEN 'LAPSED' ELSE p_state END
$$;

COMMENT ON FUNCTION queue_entry_state(text, timestamptz) IS
    'A queue entry''s state as its shopper sees it (LAPSED once past its deadline); defined in db/migration/R__queue_entry_state.sql of inventory-service';
