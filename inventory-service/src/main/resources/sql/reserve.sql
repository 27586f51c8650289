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
-- The rules it applies are functions, each in its db/migration/R__<function>.sql: sale_is_on (on sale now), which the
-- planner inlines, and merge_holds (the insert-or-merge of the hold, with its price, amount and capped expiry), called
-- once for the stripe taken (take and product are at most one row each, and merge_holds reads take's stripe, so it
-- runs after the stock is taken, or not at all).
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
SELECT m.id, m.product_id, m.quantity, m.status, m.price_cents, m.amount_cents, m.created_at, m.expires_at,
       m.latest_expires_at, m.ended_at, m.merged
FROM take, product p,
     merge_holds(p.id, ARRAY[$2::uuid], ARRAY[$3::integer], ARRAY[take.stripe], p.price_cents, $4, $5) m
