-- An open admission: a queue entry ADMITTED and still in time (admission_in_time, R__admission_in_time.sql). Reserve
-- lets its shopper in (R__reserve_checked.sql); the queue's status and the dashboard's books count these
-- (QueueRepository, ProductRepository). Inlined, `admission_open(e.state, e.admission_expires_at)` is planned as
-- `e.state = 'ADMITTED' AND e.admission_expires_at > now()`, which the partial index queue_entries_admitted serves.
-- It calls admission_in_time, and a LANGUAGE sql body is checked when it is created: Flyway applies repeatable
-- migrations in the order of their descriptions, and "admission open" sorts after "admission in time".
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION admission_open(p_state text, p_admission_expires_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_state = 'ADMITTED' AND admission_in_time(p_admission_expires_at)
$$;

COMMENT ON FUNCTION admission_open(text, timestamptz) IS
    'An ADMITTED entry before its deadline; defined in db/migration/R__admission_open.sql of inventory-service';
