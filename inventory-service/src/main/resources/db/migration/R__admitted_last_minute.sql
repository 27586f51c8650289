-- A waiting room's admission rate: how many of the product's entries were admitted in the last minute (admitted_at
-- after now() - 1 minute, by the database clock of the statement; one index range of queue_entries_by_admission). The
-- shopper's ticket (QueueRepository) and the dashboard's books (ProductRepository) show it. One row, one column; call
-- it in FROM: `(SELECT rate.admitted FROM admitted_last_minute(p.id) rate)`.
-- LANGUAGE sql, STABLE, one SELECT, not STRICT, set-returning: the planner inlines it as the subquery it is. This file
-- is the rule's one home.
CREATE OR REPLACE FUNCTION admitted_last_minute(p_product uuid)
RETURNS TABLE (admitted bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT count(*) FROM queue_entries a WHERE a.product_id = p_product AND a.admitted_at > now() - interval '1 minute'
$$;

COMMENT ON FUNCTION admitted_last_minute(uuid) IS
    'A waiting room''s admissions in the last minute; defined in db/migration/R__admitted_last_minute.sql of inventory-service';
