-- Pays a shopper's holds as one order, all or none: the one home of completing a hold (POST /api/orders, and paying
-- one hold, which is an order of one). One call is one statement, so it commits whole or not at all.
-- In order:
-- 1. A keyed request (p_key) whose key already made an order answers that order (REPLAYED) when the request is the
--    same (p_hash, from the hold ids), or KEY_REUSED when it is another.
-- 2. The holds are locked in id order (as every transition that locks a hold does one at a time, no cycle). A hold
--    that is not the shopper's, or does not exist, is NOT_FOUND: nothing changes.
-- 3. Holds all COMPLETED as the whole of one earlier order: that order again (REPLAYED), so a retry without a key
--    of an order that went through is answered, not refused.
-- 4. A hold that is not ACTIVE, or past its expires_at by the database clock, is NOT_ACTIVE with its status
--    (EXPIRED for an overdue one): nothing is charged.
-- 5. Otherwise every hold becomes COMPLETED, the order is made with a line per hold (its units at its price), and the
--    order is CREATED.
-- Returns one row: outcome, the order (id, number) when there is one, and for a refusal the hold named and its
-- status; buyer is the shopper's public handle (the activity feed's).
CREATE OR REPLACE FUNCTION place_order(p_shopper uuid, p_holds uuid[], p_key text, p_hash text)
RETURNS TABLE (outcome text, order_id uuid, order_number bigint, hold_id uuid, hold_status text, buyer text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    earlier record;
    h record;
    wanted integer := cardinality(ARRAY(SELECT DISTINCT unnest(p_holds)));
    found_holds integer := 0;
    completed integer := 0;
    made uuid;
    made_number bigint;
    handle text := (SELECT s.handle FROM shoppers s WHERE s.id = p_shopper);
BEGIN
    IF p_key IS NOT NULL THEN
        SELECT o.id, o.number, o.request_hash INTO earlier
        FROM orders o WHERE o.shopper_id = p_shopper AND o.idempotency_key = p_key;
        IF FOUND THEN
            RETURN QUERY SELECT CASE WHEN earlier.request_hash = p_hash THEN 'REPLAYED' ELSE 'KEY_REUSED' END,
                                earlier.id, earlier.number, NULL::uuid, NULL::text, handle;
            RETURN;
        END IF;
    END IF;

    FOR h IN SELECT hl.id, hl.status, hl.expires_at FROM holds hl
             WHERE hl.id = ANY (p_holds) AND hl.shopper_id = p_shopper
             ORDER BY hl.id FOR UPDATE LOOP
        found_holds := found_holds + 1;
        IF h.status = 'COMPLETED' THEN
            completed := completed + 1;
        END IF;
    END LOOP;
    IF found_holds < wanted THEN
        RETURN QUERY SELECT 'NOT_FOUND', NULL::uuid, NULL::bigint,
                            (SELECT x FROM unnest(p_holds) x
                             WHERE NOT EXISTS (SELECT 1 FROM holds hl WHERE hl.id = x AND hl.shopper_id = p_shopper)
                             LIMIT 1), NULL::text, handle;
        RETURN;
    END IF;

    IF completed = wanted THEN
        SELECT o.id, o.number INTO earlier FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE l.hold_id = p_holds[1];
        IF (SELECT count(*) FROM order_lines l WHERE l.order_id = earlier.id) = wanted
           AND NOT EXISTS (SELECT 1 FROM unnest(p_holds) x
                           WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = earlier.id AND l.hold_id = x)) THEN
            RETURN QUERY SELECT 'REPLAYED', earlier.id, earlier.number, NULL::uuid, NULL::text, handle;
            RETURN;
        END IF;
    END IF;

    SELECT hl.id, CASE WHEN hl.status = 'ACTIVE' THEN 'EXPIRED' ELSE hl.status END AS status INTO h
    FROM holds hl
    WHERE hl.id = ANY (p_holds) AND (hl.status <> 'ACTIVE' OR hl.expires_at <= now())
    ORDER BY hl.id LIMIT 1;
    IF FOUND THEN
        RETURN QUERY SELECT 'NOT_ACTIVE', NULL::uuid, NULL::bigint, h.id, h.status, handle;
        RETURN;
    END IF;

    INSERT INTO orders (shopper_id, idempotency_key, request_hash)
    VALUES (p_shopper, p_key, CASE WHEN p_key IS NULL THEN NULL ELSE p_hash END)
    RETURNING orders.id, orders.number INTO made, made_number;
    WITH paid AS (
        UPDATE holds hl SET status = 'COMPLETED', ended_at = now()
        WHERE hl.id = ANY (p_holds) AND hl.status = 'ACTIVE' AND hl.expires_at > now()
        RETURNING hl.id, hl.product_id, hl.quantity, hl.price_cents, hl.amount_cents
    )
    INSERT INTO order_lines (hold_id, order_id, product_id, quantity, unit_price_cents, amount_cents, currency)
    SELECT pd.id, made, pd.product_id, pd.quantity, pd.price_cents, pd.amount_cents, pr.currency
    FROM paid pd JOIN products pr ON pr.id = pd.product_id;
    RETURN QUERY SELECT 'CREATED', made, made_number, NULL::uuid, NULL::text, handle;
END
$$;

COMMENT ON FUNCTION place_order(uuid, uuid[], text, text) IS
    'Pays holds as one order, all or none; defined in db/migration/R__place_order.sql of inventory-service';
