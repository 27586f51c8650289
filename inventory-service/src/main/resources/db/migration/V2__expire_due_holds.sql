-- The expire transition's one home, shared by every process that expires holds (the expiry-worker; tests).
-- One statement: claim up to batch_size due ACTIVE holds (SKIP LOCKED, so workers never wait on each other or on a
-- hold that a shopper is completing or cancelling), mark them EXPIRED, and give their stock back with one relative
-- increment per product. Products are locked in id order, so concurrent batches cannot deadlock; holds are always
-- locked before their product, as reserve and cancel do. It returns the expired holds with their product's new stock.
CREATE FUNCTION expire_due_holds(batch_size integer)
RETURNS TABLE (hold_id uuid, shopper_id uuid, product_id uuid, quantity integer, expires_at timestamptz,
               ended_at timestamptz, available_stock integer, total_stock integer, stock_version bigint)
LANGUAGE sql VOLATILE AS $$
    WITH due AS (
        SELECT h.id FROM holds h
        WHERE h.status = 'ACTIVE' AND h.expires_at <= now()
        ORDER BY h.expires_at
        LIMIT batch_size
        FOR UPDATE SKIP LOCKED
    ), expired AS (
        UPDATE holds h SET status = 'EXPIRED', ended_at = now()
        FROM due
        WHERE h.id = due.id AND h.status = 'ACTIVE'
        RETURNING h.id, h.shopper_id, h.product_id, h.quantity, h.expires_at, h.ended_at
    ), units AS (
        SELECT e.product_id, sum(e.quantity)::integer AS units FROM expired e GROUP BY e.product_id
    ), locked AS (
        SELECT p.id FROM products p JOIN units u ON u.product_id = p.id ORDER BY p.id FOR UPDATE OF p
    ), restored AS (
        UPDATE products p
        SET available_stock = p.available_stock + u.units, stock_version = p.stock_version + 1, updated_at = now()
        FROM units u
        WHERE p.id = u.product_id AND (SELECT count(*) FROM locked) >= 0
        RETURNING p.id, p.available_stock, p.total_stock, p.stock_version
    )
    SELECT e.id, e.shopper_id, e.product_id, e.quantity, e.expires_at, e.ended_at, r.available_stock, r.total_stock,
           r.stock_version
    FROM expired e JOIN restored r ON r.id = e.product_id
$$;
