-- "On sale now": the sale has started (R__sale_has_started.sql) and has not ended (R__sale_has_ended.sql), so a
-- product is on sale from sale_starts_at up to, not including, sale_ends_at (either may be empty). Every reserve path
-- asks it: sql/reserve.sql, R__reserve_checked.sql, R__reserve_batch.sql.
-- It calls the two functions, and a LANGUAGE sql body is checked when it is created: Flyway applies repeatable
-- migrations in the order of their descriptions, and "sale is on" sorts after "sale has ended" and "sale has started".
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it (and the two it calls). This
-- file is the rule's one home.
CREATE OR REPLACE FUNCTION sale_is_on(p_sale_starts_at timestamptz, p_sale_ends_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sale_has_started(p_sale_starts_at) AND NOT sale_has_ended(p_sale_ends_at)
$$;

COMMENT ON FUNCTION sale_is_on(timestamptz, timestamptz) IS
    'On sale now: started and not ended; defined in db/migration/R__sale_is_on.sql of inventory-service';
