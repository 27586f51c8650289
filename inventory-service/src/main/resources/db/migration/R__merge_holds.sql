-- Insert-or-merge of holds: the one statement that writes a reserve's units into holds, for every reserve path
-- (sql/reserve.sql, R__reserve_checked.sql, R__reserve_batch.sql). The caller has already taken the stock and locked
-- the shoppers' ACTIVE holds (hold before stock); this only writes the holds.
-- The requests are arrays of one length: shopper p_shoppers[i] reserved p_quantities[i] units of p_product, taken
-- from stripe p_stripes[i], at p_price_cents a unit (the price the caller's statement read). A shopper twice in the
-- arrays is one hold: their units summed, the stripe of their first request.
-- A shopper with no ACTIVE hold on the product gets a new one: the units at the price, latest_expires_at = now + the
-- max lifetime (hold_latest_expires_at), expiring at now + TTL but never past it (hold_expires_at). A shopper with an
-- ACTIVE hold has it merged: the units added to its quantity, their cost at this price added to its amount (its
-- price_cents, the price it was created at, stays), its expiry reset to now + TTL but never past its own
-- latest_expires_at, fixed at creation.
-- One row per shopper: the hold after the merge, and merged = whether it existed before this call.
-- LANGUAGE sql, one INSERT: it writes, so it is VOLATILE and the planner does not inline it (PostgreSQL caches its
-- plan per session). ROWS 1: what reserve.sql and reserve_checked get (a batch gets one per shopper served), so their
-- plans' estimates stay those of the INSERT they replaced. It calls hold_expires_at and hold_latest_expires_at, and a LANGUAGE sql body is checked when it is
-- created: "merge holds" sorts after "hold expires at" and "hold latest expires at" in Flyway's order.
-- This file is the rule's one home.
CREATE OR REPLACE FUNCTION merge_holds(p_product uuid, p_shoppers uuid[], p_quantities integer[], p_stripes smallint[],
                                       p_price_cents bigint, p_ttl_millis bigint, p_max_lifetime_millis bigint)
RETURNS TABLE (id uuid, shopper_id uuid, product_id uuid, quantity integer, status text, price_cents bigint,
               amount_cents bigint, created_at timestamptz, expires_at timestamptz, latest_expires_at timestamptz,
               ended_at timestamptz, merged boolean)
LANGUAGE sql VOLATILE ROWS 1 AS $$
    INSERT INTO holds AS h (product_id, shopper_id, quantity, price_cents, amount_cents, expires_at, latest_expires_at,
                            stripe)
    SELECT p_product, r.shopper, sum(r.quantity)::integer, p_price_cents, sum(r.quantity) * p_price_cents,
           hold_expires_at(p_ttl_millis, hold_latest_expires_at(p_max_lifetime_millis)),
           hold_latest_expires_at(p_max_lifetime_millis), (array_agg(r.stripe ORDER BY r.i))[1]
    FROM unnest(p_shoppers, p_quantities, p_stripes) WITH ORDINALITY AS r(shopper, quantity, stripe, i)
    GROUP BY r.shopper
    ON CONFLICT (shopper_id, product_id) WHERE status = 'ACTIVE'
    DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity, amount_cents = h.amount_cents + EXCLUDED.amount_cents,
                  expires_at = hold_expires_at(p_ttl_millis, h.latest_expires_at)
    RETURNING h.id, h.shopper_id, h.product_id, h.quantity, h.status, h.price_cents, h.amount_cents, h.created_at,
              h.expires_at, h.latest_expires_at, h.ended_at, (h.xmax <> 0)
$$;

COMMENT ON FUNCTION merge_holds(uuid, uuid[], integer[], smallint[], bigint, bigint, bigint) IS
    'Insert-or-merge of holds (every reserve path); defined in db/migration/R__merge_holds.sql of inventory-service';
