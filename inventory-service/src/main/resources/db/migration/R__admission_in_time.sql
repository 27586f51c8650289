-- A waiting-room admission's deadline: an admission is in time while now() < admission_expires_at, by the database
-- clock of the statement; from its deadline on (admission_expires_at itself included) it has lapsed, at once, whether
-- or not the keeper (R__keep_queues.sql) has marked it LAPSED yet. admission_open, admission_lapsed and
-- queue_entry_state (their R__ files) are this rule applied to an entry's state.
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION admission_in_time(p_admission_expires_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_admission_expires_at > now()
$$;

COMMENT ON FUNCTION admission_in_time(timestamptz) IS
    'Whether an admission''s deadline is still ahead; defined in db/migration/R__admission_in_time.sql of inventory-service';
