-- Cancel: the shopper releases an ACTIVE hold (also one past its expiry time that the worker has not expired yet).
-- One statement ends the hold and gives its units back to the stripe it took them from with a relative increment, so
-- it happens at most once and races with complete and expire end the hold exactly once. The hold is locked before its
-- stripe, the lock order of every transition. No row when the guard did not pass; the caller reads the hold to say why.
-- $1 hold id, $2 shopper id. HoldRepository runs this file.
WITH cancelled AS (
    UPDATE holds SET status = 'CANCELLED', ended_at = now()
    WHERE id = $1 AND shopper_id = $2 AND status = 'ACTIVE'
    RETURNING id, product_id, quantity, status, price_cents, amount_cents, created_at, expires_at, latest_expires_at,
              ended_at, stripe
), restored AS (
    UPDATE stock_stripes s
    SET available_stock = s.available_stock + c.quantity, changes = s.changes + 1, updated_at = now()
    FROM cancelled c
    WHERE s.product_id = c.product_id AND s.stripe = c.stripe
    RETURNING s.product_id
)
SELECT cancelled.* FROM cancelled, restored
