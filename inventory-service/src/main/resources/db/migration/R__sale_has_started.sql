-- Whether a product's sale has started, by the database clock of the statement: it has no sale_starts_at, or that
-- instant has come (sale_starts_at itself counts as started). Part of "on sale now" (sale_is_on, R__sale_is_on.sql);
-- the waiting room's keeper (R__keep_queues.sql) draws a queue once its sale has started.
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION sale_has_started(p_sale_starts_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_sale_starts_at IS NULL OR p_sale_starts_at <= now()
$$;

COMMENT ON FUNCTION sale_has_started(timestamptz) IS
    'Whether a sale has started; defined in db/migration/R__sale_has_started.sql of inventory-service';
