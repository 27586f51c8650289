-- Reserve for a batch of requests on one product in one statement: the group commit of the hot product. An
-- inventory-service instance queues the reserves of a product that arrive while its previous statement is in flight
-- and sends them here together, so the batch costs one commit (one WAL flush) instead of one each.
-- Each request ($2[i], $3[i]) gets the answer it would have had alone, in arrival order: sale window, then the
-- shopper's limit (counting the batch's earlier holds), then stock (what the earlier requests left). A request that
-- does not fit is refused and a later, smaller one may still fit: the stock stops exactly where it ends. A batch
-- that the product cannot serve at all (sold out) is refused without a lock.
-- Locks: the shoppers' limit keys (sorted), their ACTIVE holds (by id), then every stripe of the product (by stripe):
-- the same order as reserve_checked, cancel and expire_due_holds (hold before stock). Units are taken from the fullest
-- stripe first, with one relative decrement per stripe touched.
CREATE OR REPLACE FUNCTION reserve_batch(p_product uuid, p_shoppers uuid[], p_quantities integer[], p_ttl_millis bigint)
RETURNS TABLE (ordinal integer, outcome text, available integer, remaining integer, id uuid, product_id uuid,
               quantity integer, status text, price_cents bigint, created_at timestamptz, expires_at timestamptz,
               ended_at timestamptz, merged boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    product record;
    requests integer := cardinality(p_shoppers);
    in_stock integer;
    used bigint;
    stripe_ids smallint[];
    stripe_stock integer[];
    stripe_taken integer[];
    current integer := 1;
    needed integer;
    taken integer;
    first_stripe smallint;
    i integer;
BEGIN
    IF requests IS NULL OR requests <> cardinality(p_quantities) THEN
        RAISE EXCEPTION 'reserve_batch: % shoppers but % quantities', requests, cardinality(p_quantities);
    END IF;
    SELECT p.price_cents, p.max_per_shopper,
           (p.sale_starts_at IS NULL OR p.sale_starts_at <= now())
               AND (p.sale_ends_at IS NULL OR now() < p.sale_ends_at) AS on_sale
    INTO product FROM products p WHERE p.id = p_product;
    IF NOT FOUND OR NOT product.on_sale THEN
        RETURN QUERY SELECT g, CASE WHEN product IS NULL THEN 'NOT_FOUND' ELSE 'SALE_NOT_ACTIVE' END,
            NULL::integer, NULL::integer, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint,
            NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean
        FROM generate_series(1, requests) g;
        RETURN;
    END IF;
    IF product.max_per_shopper IS NULL THEN
        -- Sold out (for every request of the batch) at this statement's snapshot: say so without taking a lock, as
        -- reserve_checked does, so the crowd's refusals after the last unit neither queue nor wait for a flush.
        SELECT coalesce(sum(ss.available_stock), 0) INTO in_stock FROM stock_stripes ss WHERE ss.product_id = p_product;
        IF in_stock < (SELECT min(q) FROM unnest(p_quantities) q) THEN
            RETURN QUERY SELECT g, 'OUT_OF_STOCK', in_stock, NULL::integer, NULL::uuid, NULL::uuid, NULL::integer,
                NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean
            FROM generate_series(1, requests) g;
            RETURN;
        END IF;
    ELSE
        PERFORM pg_advisory_xact_lock(k.key)
        FROM (SELECT DISTINCT hashtextextended(s::text || '/' || p_product::text, 0) AS key
              FROM unnest(p_shoppers) s ORDER BY 1) k;
    END IF;
    PERFORM 1 FROM holds h
    WHERE h.shopper_id = ANY (p_shoppers) AND h.product_id = p_product AND h.status = 'ACTIVE'
    ORDER BY h.id FOR UPDATE;
    PERFORM 1 FROM stock_stripes ss WHERE ss.product_id = p_product ORDER BY ss.stripe FOR UPDATE;
    SELECT array_agg(ss.stripe ORDER BY ss.available_stock DESC, ss.stripe),
           array_agg(ss.available_stock ORDER BY ss.available_stock DESC, ss.stripe)
    INTO stripe_ids, stripe_stock
    FROM stock_stripes ss WHERE ss.product_id = p_product AND ss.available_stock > 0;
    in_stock := coalesce((SELECT sum(x) FROM unnest(stripe_stock) x), 0);
    stripe_taken := array_fill(0, ARRAY[coalesce(cardinality(stripe_ids), 0)]);

    FOR i IN 1 .. requests LOOP
        IF product.max_per_shopper IS NOT NULL THEN
            SELECT coalesce(sum(h.quantity), 0) INTO used FROM holds h
            WHERE h.shopper_id = p_shoppers[i] AND h.product_id = p_product AND h.status IN ('ACTIVE', 'COMPLETED');
            IF used + p_quantities[i] > product.max_per_shopper THEN
                RETURN QUERY SELECT i, 'LIMIT_EXCEEDED', NULL::integer,
                    greatest(product.max_per_shopper - used, 0)::integer, NULL::uuid, NULL::uuid, NULL::integer,
                    NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
                CONTINUE;
            END IF;
        END IF;
        IF p_quantities[i] > in_stock THEN
            RETURN QUERY SELECT i, 'OUT_OF_STOCK', in_stock, NULL::integer, NULL::uuid, NULL::uuid, NULL::integer,
                NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
            CONTINUE;
        END IF;
        needed := p_quantities[i];
        first_stripe := NULL;
        WHILE needed > 0 LOOP
            taken := least(needed, stripe_stock[current] - stripe_taken[current]);
            IF taken > 0 THEN
                stripe_taken[current] := stripe_taken[current] + taken;
                first_stripe := coalesce(first_stripe, stripe_ids[current]);
                needed := needed - taken;
            END IF;
            IF needed > 0 THEN
                current := current + 1;
            END IF;
        END LOOP;
        in_stock := in_stock - p_quantities[i];
        RETURN QUERY
        INSERT INTO holds AS h (product_id, shopper_id, quantity, price_cents, expires_at, stripe)
        VALUES (p_product, p_shoppers[i], p_quantities[i], product.price_cents,
                now() + p_ttl_millis * interval '1 millisecond', first_stripe)
        ON CONFLICT (shopper_id, product_id) WHERE status = 'ACTIVE'
        DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity, expires_at = EXCLUDED.expires_at
        RETURNING i, 'RESERVED'::text, NULL::integer, NULL::integer, h.id, h.product_id, h.quantity, h.status,
                  h.price_cents, h.created_at, h.expires_at, h.ended_at, (h.xmax <> 0);
    END LOOP;

    UPDATE stock_stripes ss
    SET available_stock = ss.available_stock - t.taken, changes = ss.changes + 1, updated_at = now()
    FROM unnest(stripe_ids, stripe_taken) AS t(stripe, taken)
    WHERE ss.product_id = p_product AND ss.stripe = t.stripe AND t.taken > 0;
END
$$;

COMMENT ON FUNCTION reserve_batch(uuid, uuid[], integer[], bigint) IS
    'Reserve a batch of one product (the group commit); defined in db/migration/R__reserve_batch.sql of inventory-service';
