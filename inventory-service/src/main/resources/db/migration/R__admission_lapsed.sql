-- A queue entry that counts as LAPSED though still stored ADMITTED: admitted, and past its deadline
-- (admission_in_time, R__admission_in_time.sql). The keeper marks these LAPSED (R__keep_queues.sql); the dashboard's
-- books count them as lapsed (ProductRepository); queue_entry_state (R__queue_entry_state.sql) reads them so.
-- Inlined, `admission_lapsed(e.state, e.admission_expires_at)` is planned as
-- `e.state = 'ADMITTED' AND e.admission_expires_at <= now()`, which the partial index queue_entries_admitted serves.
-- It calls admission_in_time, and a LANGUAGE sql body is checked when it is created: Flyway applies repeatable
-- migrations in the order of their descriptions, and "admission lapsed" sorts after "admission in time".
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION admission_lapsed(p_state text, p_admission_expires_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_state = 'ADMITTED' AND NOT admission_in_time(p_admission_expires_at)
$$;

COMMENT ON FUNCTION admission_lapsed(text, timestamptz) IS
    'An ADMITTED entry at or past its deadline; defined in db/migration/R__admission_lapsed.sql of inventory-service';
