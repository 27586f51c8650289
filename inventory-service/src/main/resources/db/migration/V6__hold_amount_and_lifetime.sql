-- A hold carries what it costs and how long it may live.
-- amount_cents: what the shopper pays on complete, the sum over every reserve merged into the hold of its units at the
-- price when that reserve was made. Before, the amount was quantity × the first reserve's price, so units added after
-- a price rise were charged the old price.
-- latest_expires_at: created_at + flashsale.hold-max-lifetime, fixed when the hold is made. A merge resets expires_at
-- but never past it, so re-reserving one unit every minute cannot keep stock out of the sale for ever.
-- Existing holds: the amount they were shown (quantity × price_cents), and no extension past their current expiry.
-- The reserve functions return both columns (and the sale window of a SALE_NOT_ACTIVE refusal): their result types
-- change, so the old definitions go here and db/migration/R__reserve_checked.sql, R__reserve_batch.sql define them.
ALTER TABLE holds ADD COLUMN amount_cents bigint;
ALTER TABLE holds ADD COLUMN latest_expires_at timestamptz;
UPDATE holds SET amount_cents = quantity * price_cents, latest_expires_at = expires_at;
ALTER TABLE holds ALTER COLUMN amount_cents SET NOT NULL,
                  ALTER COLUMN latest_expires_at SET NOT NULL,
                  ADD CONSTRAINT amount_not_negative CHECK (amount_cents >= 0);

DROP FUNCTION reserve_checked(uuid, uuid, integer, bigint);
DROP FUNCTION IF EXISTS reserve_batch(uuid, uuid[], integer[], bigint);
