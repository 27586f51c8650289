-- Pays one hold (POST /api/reservations/{id}/complete) and answers with the hold as it is then, in one statement: an
-- order of one through place_order (R__place_order.sql, the one home of paying holds), then the hold read back. A
-- statement cannot read what a function it calls wrote; a statement inside this function can, so paying and reading
-- back are one round trip, whether the hold was paid now or why it was not (its status, and overdue: expires_at has
-- passed by the database clock).
-- Returns no row when the shopper has no hold of that id (place_order changed nothing); else one row: place_order's
-- outcome (CREATED: paid now), buyer (the shopper's public handle, for the activity feed) and the hold.
CREATE OR REPLACE FUNCTION complete_hold(p_hold uuid, p_shopper uuid)
RETURNS TABLE (outcome text, buyer text, id uuid, product_id uuid, quantity integer, status text, price_cents bigint,
               amount_cents bigint, created_at timestamptz, expires_at timestamptz, latest_expires_at timestamptz,
               ended_at timestamptz, overdue boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    placed record;
BEGIN
    SELECT p.outcome, p.buyer INTO placed FROM place_order(p_shopper, ARRAY[p_hold], NULL, NULL) p;
    RETURN QUERY
        SELECT placed.outcome, placed.buyer, h.id, h.product_id, h.quantity, h.status, h.price_cents, h.amount_cents,
               h.created_at, h.expires_at, h.latest_expires_at, h.ended_at, h.expires_at <= now()
        FROM holds h WHERE h.id = p_hold AND h.shopper_id = p_shopper;
END
$$;

COMMENT ON FUNCTION complete_hold(uuid, uuid) IS
    'Pays one hold and reads it back, one round trip; defined in db/migration/R__complete_hold.sql';
