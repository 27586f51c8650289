-- "This shopper's ACTIVE hold of this product" (the reserve's lock, the batch's, merge_holds' conflict) found by the
-- unique index with both columns bound, whatever the planner's statistics of holds say (issue 33; README "Planner
-- statistics of holds"). Between drops no hold is ACTIVE, and an ANALYZE made then says so: every index whose predicate
-- is status = 'ACTIVE' looks empty, and so does holds_by_product_status's ('<product>', 'ACTIVE') range, so the lookup
-- costs less through holds_active_by_expiry or holds_by_product_status than through the unique index, and a
-- connection's cached plan then reads every ACTIVE hold (of the product) on each reserve or batch while the drop
-- fills them (bench/README.md, "The hot row's first seconds").
-- 1. No statistics on holds.status: the planner takes any one status for a fixed 0.5% of the table, whatever the last
--    ANALYZE saw, so a scan of holds_active_by_expiry is never estimated as empty.
-- 2. The unique index keyed (product_id, shopper_id): it also serves "the ACTIVE holds of a product" (R__keep_queues'
--    held units), so holds_by_product_status has no reader left that another index does not serve better (COMPLETED by
--    product: holds_completed_recently; the books of every product: one pass over the table) and goes; with it goes
--    the one index whose ('<product>', 'ACTIVE') range a batch's lookup of many shoppers could take instead.
-- What stays: while holds is tiny a sequential scan is the cheapest plan, and a plan cached then scans the table
-- as it grows; the inventory-service analyzes holds as it grows (hold/HoldsGrowth).
ALTER TABLE holds ALTER COLUMN status SET STATISTICS 0;

-- ANALYZE no longer writes the column's statistics, but it does not remove those an earlier ANALYZE wrote either:
-- they go here. PostgreSQL 18 lets the table's owner clear them; before it only a superuser can. Without either, the
-- column keeps its statistics target (and its statistics stay current) and the expiry-worker's HoldsAnalyze job is
-- what keeps them fresh, as before this migration.
DO $$
DECLARE
    holds_schema name := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE c.oid = 'holds'::regclass);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = holds_schema AND tablename = 'holds'
                   AND attname = 'status') THEN
        RETURN;
    ELSIF current_setting('server_version_num')::integer >= 180000 THEN
        EXECUTE 'SELECT pg_clear_attribute_stats($1, $2, $3, false)' USING holds_schema, 'holds', 'status';
    ELSIF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        DELETE FROM pg_statistic
        WHERE starelid = 'holds'::regclass
          AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'holds'::regclass AND attname = 'status');
    ELSE
        ALTER TABLE holds ALTER COLUMN status SET STATISTICS -1;
        RAISE WARNING 'holds.status keeps its planner statistics: clearing them needs PostgreSQL 18 or a superuser (README "Planner statistics of holds")';
    END IF;
END
$$;

CREATE UNIQUE INDEX holds_one_active_per_product_shopper ON holds (product_id, shopper_id) WHERE status = 'ACTIVE';
DROP INDEX holds_one_active_per_shopper_product;
DROP INDEX holds_by_product_status;
