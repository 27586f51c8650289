-- Reserve: take the stock with one conditional decrement of one stripe and create the hold, or merge into the
-- shopper's ACTIVE hold on the product (quantity added at today's price to its amount, expiry reset but never past the
-- hold's latest_expires_at, fixed at creation: created + the hold's max lifetime). One statement, run in autocommit: the stripe
-- row is locked only while it runs. The stripe: the first, from a random start, that covered the request when the
-- statement began; the UPDATE re-checks it, so when it emptied meanwhile no row comes back and the caller falls back
-- to reserve_checked (db/migration/R__reserve_checked.sql), which also serves a request larger than any one stripe,
-- applies per-shopper limits and says why it refused. The `existing` CTE locks the shopper's current hold first, so
-- every statement that touches a hold and its stock (reserve, cancel, expire) locks them in the same order: hold, then
-- stripe.
-- Only a product that needs no more checks takes this path: on sale now, no limit per shopper, no waiting room.
-- The rules it applies are functions the planner inlines, each in its db/migration/R__<function>.sql: sale_is_on (on
-- sale now), hold_expires_at and hold_latest_expires_at (the hold's expiry and its cap).
-- $1 product id, $2 shopper id, $3 quantity, $4 hold TTL in milliseconds, $5 hold max lifetime in milliseconds.
-- This file is the one home of this statement: HoldRepository runs it, bench/reserve-ceiling.sh runs it in pgbench.
WITH existing AS (
    SELECT id FROM holds
    WHERE shopper_id = $2 AND product_id = $1 AND status = 'ACTIVE'
    FOR UPDATE
), product AS (
    SELECT id, price_cents, floor(random() * stripes)::integer AS start, stripes FROM products
    WHERE id = $1 AND max_per_shopper IS NULL AND NOT queue
      AND sale_is_on(sale_starts_at, sale_ends_at)
), chosen AS (
    SELECT s.stripe FROM stock_stripes s, product p
    WHERE s.product_id = p.id AND s.stripe < p.stripes AND s.available_stock >= $3
    ORDER BY s.stripe < p.start, s.stripe
    LIMIT 1
), take AS (
    UPDATE stock_stripes s
    SET available_stock = s.available_stock - $3, changes = s.changes + 1, updated_at = now()
    FROM chosen
    WHERE s.product_id = $1 AND s.stripe = chosen.stripe AND s.available_stock >= $3
      AND (SELECT count(*) FROM existing) >= 0
    RETURNING s.stripe
)
INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, expires_at, latest_expires_at, stripe)
SELECT p.id, $2, $3, p.price_cents, $3 * p.price_cents, hold_expires_at($4, hold_latest_expires_at($5)),
       hold_latest_expires_at($5), take.stripe FROM take, product p
ON CONFLICT (shopper_id, product_id) WHERE status = 'ACTIVE'
DO UPDATE SET quantity = holds.quantity + EXCLUDED.quantity, amount_cents = holds.amount_cents + EXCLUDED.amount_cents,
              expires_at = hold_expires_at($4, holds.latest_expires_at)
RETURNING id, product_id, quantity, status, price_cents, amount_cents, created_at, expires_at, latest_expires_at,
          ended_at, (xmax <> 0) AS merged
