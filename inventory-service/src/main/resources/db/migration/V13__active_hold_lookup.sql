-- "This shopper's ACTIVE hold of this product" (the reserve's lock, the batch's, merge_holds' conflict) found by the
-- unique index with both columns bound, whatever PostgreSQL's statistics of holds say when a connection plans it
-- (issue 33; README "Planner statistics of holds"). Between drops no hold is ACTIVE, and a VACUUM or ANALYZE made then
-- records so: every index whose predicate is status = 'ACTIVE' looks empty, and so does holds_by_product_status's
-- ('<product>', 'ACTIVE') range. Walking one of them then cost the planner less than the unique index's probe, and a
-- connection's cached plan for the reserve read every ACTIVE hold (of the product) on each reserve or batch while the
-- drop filled them (bench/README.md, "The hot row's first seconds").
-- 1. The expiry index's predicate is ended_at IS NULL: the same rows as status = 'ACTIVE' (the CHECK
--    ended_exactly_when_not_active), but a lookup that says status = 'ACTIVE' cannot walk it; the statements that scan
--    for due holds (R__expire_due_holds.sql, the expiry-worker's HoldExpiryRepository) say ended_at IS NULL.
-- 2. The unique index of ACTIVE holds keyed (product_id, shopper_id): the same uniqueness and the same ON CONFLICT
--    arbiter for merge_holds, and it also serves "the ACTIVE holds of a product" (R__keep_queues' held units), so
--    holds_by_product_status has no reader left that another index does not serve (COMPLETED by product:
--    holds_completed_recently; every product's books: one pass over the table), and goes.
-- What stays: while holds is tiny a sequential scan is the cheapest plan, and a plan cached then scans the table as it
-- grows; the inventory-service analyzes holds as it grows (hold/HoldsGrowth).
DROP INDEX holds_active_by_expiry;
CREATE INDEX holds_active_by_expiry ON holds (expires_at) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX holds_one_active_per_product_shopper ON holds (product_id, shopper_id) WHERE status = 'ACTIVE';
DROP INDEX holds_one_active_per_shopper_product;
DROP INDEX holds_by_product_status;
