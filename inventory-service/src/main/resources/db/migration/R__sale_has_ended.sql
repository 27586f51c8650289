-- Whether a product's sale has ended, by the database clock of the statement: it has a sale_ends_at and that instant
-- has come (sale_ends_at itself counts as ended). Part of "on sale now" (sale_is_on, R__sale_is_on.sql); reserve
-- tells a SALE_NOT_ACTIVE shopper whether the sale ended (R__reserve_checked.sql, R__reserve_batch.sql); a waiting
-- room closes when it has (R__keep_queues.sql, QueueRepository's join and status).
-- LANGUAGE sql, STABLE like now(), one expression, not STRICT: the planner inlines it. This file is the rule's one
-- home.
CREATE OR REPLACE FUNCTION sale_has_ended(p_sale_ends_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_sale_ends_at IS NOT NULL AND p_sale_ends_at <= now()
$$;

COMMENT ON FUNCTION sale_has_ended(timestamptz) IS
    'Whether a sale has ended; defined in db/migration/R__sale_has_ended.sql of inventory-service';
