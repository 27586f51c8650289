-- The expire transition's one home, shared by every process that expires holds (the expiry-worker; tests).
-- One statement: claim up to batch_size due ACTIVE holds (SKIP LOCKED, so workers never wait on each other or on a
-- hold that a shopper is completing or cancelling), mark them EXPIRED, and give each expired hold's units back to the
-- stripe it took them from, one relative increment per (product, stripe) per batch. Stripes are locked in
-- (product, stripe) order, so concurrent batches cannot deadlock; holds are always locked before their stock, as
-- reserve and cancel do. It returns the expired holds. `ended_at IS NULL` says ACTIVE again (the CHECK
-- ended_exactly_when_not_active) in the words of holds_active_by_expiry's predicate, which a lookup of one shopper's
-- ACTIVE hold cannot use (V13__active_hold_lookup.sql).
-- A Flyway repeatable migration: re-applied whenever this file changes.
CREATE OR REPLACE FUNCTION expire_due_holds(batch_size integer)
RETURNS TABLE (hold_id uuid, shopper_id uuid, product_id uuid, quantity integer, expires_at timestamptz,
               ended_at timestamptz)
LANGUAGE sql VOLATILE AS $$
    WITH due AS (
        SELECT h.id FROM holds h
        WHERE h.status = 'ACTIVE' AND h.ended_at IS NULL AND h.expires_at <= now()
        ORDER BY h.expires_at
        LIMIT batch_size
        FOR UPDATE SKIP LOCKED
    ), expired AS (
        UPDATE holds h SET status = 'EXPIRED', ended_at = now()
        FROM due
        WHERE h.id = due.id AND h.status = 'ACTIVE'
        RETURNING h.id, h.shopper_id, h.product_id, h.stripe, h.quantity, h.expires_at, h.ended_at
    ), units AS (
        SELECT e.product_id, e.stripe, sum(e.quantity)::integer AS units FROM expired e GROUP BY e.product_id, e.stripe
    ), locked AS (
        SELECT s.product_id FROM stock_stripes s JOIN units u ON u.product_id = s.product_id AND u.stripe = s.stripe
        ORDER BY s.product_id, s.stripe FOR UPDATE OF s
    ), restored AS (
        UPDATE stock_stripes s
        SET available_stock = s.available_stock + u.units, changes = s.changes + 1, updated_at = now()
        FROM units u
        WHERE s.product_id = u.product_id AND s.stripe = u.stripe AND (SELECT count(*) FROM locked) >= 0
        RETURNING s.product_id
    )
    SELECT e.id, e.shopper_id, e.product_id, e.quantity, e.expires_at, e.ended_at FROM expired e
$$;

COMMENT ON FUNCTION expire_due_holds(integer) IS
    'The expire transition; defined in db/migration/R__expire_due_holds.sql of inventory-service';
