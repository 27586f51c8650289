-- Complete: the shopper pays for an ACTIVE hold that has not expired yet (by the database clock). The guard makes it
-- happen at most once, and never after the hold expired, was cancelled or completed: then no row comes back and the
-- caller reads the hold to say why. The units stay taken (sold); the shopper pays the hold's amount_cents (each
-- reserve's units at the price when it was made); the buyer's public handle comes back for the activity feed.
-- $1 hold id, $2 shopper id. HoldRepository runs this file.
UPDATE holds SET status = 'COMPLETED', ended_at = now()
WHERE id = $1 AND shopper_id = $2 AND status = 'ACTIVE' AND expires_at > now()
RETURNING id, product_id, quantity, status, price_cents, amount_cents, created_at, expires_at, latest_expires_at, ended_at,
          (SELECT handle FROM shoppers s WHERE s.id = holds.shopper_id) AS handle
