-- A sold-out product answers OUT_OF_STOCK without locking its stripes.
-- Before: when no single stripe covered a request, reserve_checked locked every stripe of the product before summing
-- them, also when the sum was short. After the last unit went, every refused reserve of the crowd took all of the
-- product's stripe locks in turn (and, having locked rows, waited for a WAL flush at commit): refusals were
-- serialised at the very moment a flash sale draws the most requests. Now the stripes are summed first, without
-- locks, in one snapshot; only when together they hold enough are they locked (in stripe order), summed again and
-- taken from. The rest of the function is unchanged (see V4).
CREATE OR REPLACE FUNCTION reserve_checked(p_product uuid, p_shopper uuid, p_quantity integer, p_ttl_millis bigint)
RETURNS TABLE (outcome text, available integer, remaining integer, id uuid, product_id uuid, quantity integer,
               status text, price_cents bigint, created_at timestamptz, expires_at timestamptz,
               ended_at timestamptz, merged boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    product record;
    used bigint;
    in_stock integer;
    needed integer := p_quantity;
    taken integer;
    first_stripe smallint;
    s record;
BEGIN
    SELECT p.price_cents, p.max_per_shopper, p.stripes,
           (p.sale_starts_at IS NULL OR p.sale_starts_at <= now())
               AND (p.sale_ends_at IS NULL OR now() < p.sale_ends_at) AS on_sale
    INTO product FROM products p WHERE p.id = p_product;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'NOT_FOUND', NULL::integer, NULL::integer, NULL::uuid, NULL::uuid, NULL::integer,
            NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
        RETURN;
    END IF;
    IF NOT product.on_sale THEN
        RETURN QUERY SELECT 'SALE_NOT_ACTIVE', NULL::integer, NULL::integer, NULL::uuid, NULL::uuid, NULL::integer,
            NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
        RETURN;
    END IF;
    IF product.max_per_shopper IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(p_shopper::text || '/' || p_product::text, 0));
        SELECT coalesce(sum(h.quantity), 0) INTO used FROM holds h
        WHERE h.shopper_id = p_shopper AND h.product_id = p_product AND h.status IN ('ACTIVE', 'COMPLETED');
        IF used + p_quantity > product.max_per_shopper THEN
            RETURN QUERY SELECT 'LIMIT_EXCEEDED', NULL::integer, greatest(product.max_per_shopper - used, 0)::integer,
                NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::timestamptz,
                NULL::timestamptz, NULL::timestamptz, NULL::boolean;
            RETURN;
        END IF;
    END IF;
    -- Hold before stock: the lock order of reserve, cancel and expiry.
    PERFORM 1 FROM holds h
    WHERE h.shopper_id = p_shopper AND h.product_id = p_product AND h.status = 'ACTIVE' FOR UPDATE;
    UPDATE stock_stripes ss
    SET available_stock = ss.available_stock - p_quantity, changes = ss.changes + 1, updated_at = now()
    WHERE ss.product_id = p_product AND ss.available_stock >= p_quantity
      AND ss.stripe = (SELECT c.stripe FROM stock_stripes c
                       WHERE c.product_id = p_product AND c.stripe < product.stripes AND c.available_stock >= p_quantity
                       ORDER BY c.stripe < floor(random() * product.stripes), c.stripe LIMIT 1)
    RETURNING ss.stripe INTO first_stripe;
    IF first_stripe IS NULL THEN
        -- Sold out (or nearly) at this statement's snapshot: say so without locking a stripe. The stripes are summed
        -- in one snapshot, so the answer was true at that instant, as the fast path's choice of stripe is. Only when
        -- together they hold enough are they locked and summed again, to take from several.
        SELECT coalesce(sum(ss.available_stock), 0) INTO in_stock FROM stock_stripes ss WHERE ss.product_id = p_product;
        IF in_stock >= p_quantity THEN
            PERFORM 1 FROM stock_stripes ss WHERE ss.product_id = p_product ORDER BY ss.stripe FOR UPDATE;
            SELECT coalesce(sum(ss.available_stock), 0) INTO in_stock FROM stock_stripes ss WHERE ss.product_id = p_product;
        END IF;
        IF in_stock < p_quantity THEN
            RETURN QUERY SELECT 'OUT_OF_STOCK', in_stock, NULL::integer, NULL::uuid, NULL::uuid, NULL::integer,
                NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
            RETURN;
        END IF;
        FOR s IN SELECT ss.stripe, ss.available_stock FROM stock_stripes ss
                 WHERE ss.product_id = p_product AND ss.available_stock > 0
                 ORDER BY ss.available_stock DESC, ss.stripe LOOP
            taken := least(needed, s.available_stock);
            UPDATE stock_stripes ss
            SET available_stock = ss.available_stock - taken, changes = ss.changes + 1, updated_at = now()
            WHERE ss.product_id = p_product AND ss.stripe = s.stripe;
            first_stripe := coalesce(first_stripe, s.stripe);
            needed := needed - taken;
            EXIT WHEN needed = 0;
        END LOOP;
    END IF;
    RETURN QUERY
    INSERT INTO holds AS h (product_id, shopper_id, quantity, price_cents, expires_at, stripe)
    VALUES (p_product, p_shopper, p_quantity, product.price_cents, now() + p_ttl_millis * interval '1 millisecond',
            first_stripe)
    ON CONFLICT (shopper_id, product_id) WHERE status = 'ACTIVE'
    DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity, expires_at = EXCLUDED.expires_at
    RETURNING 'RESERVED'::text, NULL::integer, NULL::integer, h.id, h.product_id, h.quantity, h.status,
              h.price_cents, h.created_at, h.expires_at, h.ended_at, (h.xmax <> 0);
END
$$;
