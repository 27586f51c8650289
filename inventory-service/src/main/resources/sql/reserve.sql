-- Reserve: take the stock with one conditional decrement and create the hold, or merge into the shopper's ACTIVE
-- hold on the product (quantity added, expiry reset). One statement, run in autocommit: the product row is locked
-- only while it runs. The `existing` CTE locks the shopper's current hold first, so every statement that touches a
-- hold and its product (reserve, cancel, expire) locks them in the same order: hold, then product.
-- $1 product id, $2 shopper id, $3 quantity, $4 hold TTL in milliseconds.
-- This file is the one home of this statement: HoldRepository runs it, bench/reserve-ceiling.sh runs it in pgbench.
WITH existing AS (
    SELECT id FROM holds
    WHERE shopper_id = $2 AND product_id = $1 AND status = 'ACTIVE'
    FOR UPDATE
), take AS (
    UPDATE products
    SET available_stock = available_stock - $3, stock_version = stock_version + 1, updated_at = now()
    WHERE id = $1 AND available_stock >= $3 AND (SELECT count(*) FROM existing) >= 0
    RETURNING id, price_cents, available_stock, total_stock, stock_version, updated_at
), hold AS (
    INSERT INTO holds (product_id, shopper_id, quantity, price_cents, expires_at)
    SELECT id, $2, $3, price_cents, now() + $4 * interval '1 millisecond' FROM take
    ON CONFLICT (shopper_id, product_id) WHERE status = 'ACTIVE'
    DO UPDATE SET quantity = holds.quantity + EXCLUDED.quantity, expires_at = EXCLUDED.expires_at
    RETURNING id, product_id, quantity, status, price_cents, created_at, expires_at, ended_at, (xmax <> 0) AS merged
)
SELECT hold.*, take.id AS stock_product_id, take.available_stock AS stock_available, take.total_stock AS stock_total,
       take.stock_version AS stock_version, take.updated_at AS stock_at
FROM hold, take
