-- Striped stock. One row cannot commit faster than one WAL flush at a time, so a product's available stock now
-- lives in N rows ("stripes"), each decremented with the same conditional UPDATE … WHERE available_stock >= $q.
-- The product's available stock is the sum of its stripes (the product_stock view). products.stripes says how many
-- stripes reserves spread over (stripes 0 .. stripes-1); rows past it are retired (never deleted, so a hold can
-- always give its units back to the stripe it took them from; reserves that merge across stripes still use them).
CREATE TABLE stock_stripes (
    product_id      uuid        NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    stripe          smallint    NOT NULL CHECK (stripe >= 0),
    available_stock integer     NOT NULL CHECK (available_stock >= 0),
    -- Grows by one with every change of this stripe; a product's version is the sum over its stripes.
    changes         bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, stripe)
) WITH (fillfactor = 50);

INSERT INTO stock_stripes (product_id, stripe, available_stock, changes, updated_at)
SELECT id, 0, available_stock, 0, updated_at FROM products;

ALTER TABLE products DROP CONSTRAINT available_stock_within_total;
ALTER TABLE products DROP COLUMN available_stock;
ALTER TABLE products ADD COLUMN stripes smallint NOT NULL DEFAULT 1 CHECK (stripes BETWEEN 1 AND 64);
COMMENT ON COLUMN products.stock_version IS
    'Changes that are not on a stripe row (restocks); the product version is this plus the sum of its stripes'' changes';

-- The stripe a hold took its units from; cancel and expiry give them back there.
ALTER TABLE holds ADD COLUMN stripe smallint NOT NULL DEFAULT 0;

-- A product's stock as every reader sees it. version only grows: every change bumps a stripe's or the product's
-- counter, and none is ever lowered.
CREATE VIEW product_stock AS
SELECT p.id AS product_id,
       sum(s.available_stock)::integer AS available_stock,
       p.total_stock,
       p.stock_version + sum(s.changes) AS stock_version,
       greatest(p.updated_at, max(s.updated_at)) AS updated_at
FROM products p JOIN stock_stripes s ON s.product_id = p.id
GROUP BY p.id;

-- Reserve when no single stripe could cover the request (or the one chosen emptied meanwhile): lock every stripe of
-- the product (in stripe order, as every multi-stripe statement does), and if together they hold enough, take from
-- the fullest first and create or extend the hold. So the answer is "out of stock" only when the product as a
-- whole has too little. Same result columns as sql/reserve.sql; no row when the product is missing or short.
CREATE FUNCTION reserve_across_stripes(p_product uuid, p_shopper uuid, p_quantity integer, p_ttl_millis bigint)
RETURNS TABLE (id uuid, product_id uuid, quantity integer, status text, price_cents bigint, created_at timestamptz,
               expires_at timestamptz, ended_at timestamptz, merged boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    needed integer := p_quantity;
    taken integer;
    first_stripe smallint;
    s record;
BEGIN
    -- Hold before stock: the lock order of reserve, cancel and expiry.
    PERFORM 1 FROM holds h
    WHERE h.shopper_id = p_shopper AND h.product_id = p_product AND h.status = 'ACTIVE' FOR UPDATE;
    PERFORM 1 FROM stock_stripes ss WHERE ss.product_id = p_product ORDER BY ss.stripe FOR UPDATE;
    IF coalesce((SELECT sum(ss.available_stock) FROM stock_stripes ss WHERE ss.product_id = p_product), 0)
            < p_quantity THEN
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
    RETURN QUERY
    INSERT INTO holds AS h (product_id, shopper_id, quantity, price_cents, expires_at, stripe)
    SELECT p.id, p_shopper, p_quantity, p.price_cents, now() + p_ttl_millis * interval '1 millisecond', first_stripe
    FROM products p WHERE p.id = p_product
    ON CONFLICT (shopper_id, product_id) WHERE status = 'ACTIVE'
    DO UPDATE SET quantity = h.quantity + EXCLUDED.quantity, expires_at = EXCLUDED.expires_at
    RETURNING h.id, h.product_id, h.quantity, h.status, h.price_cents, h.created_at, h.expires_at, h.ended_at,
              (h.xmax <> 0);
END
$$;

-- Restock and re-stripe: add units (may be 0) and spread the product's whole available stock evenly over its
-- (possibly new number of) stripes, under a lock on every stripe. Retired stripes are emptied into the live ones.
-- Returns the product id, or no row when the product is missing or would pass max_total.
CREATE FUNCTION restock_product(p_product uuid, p_quantity integer, p_stripes integer, p_max_total integer)
RETURNS SETOF uuid
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n integer;
    available integer;
BEGIN
    UPDATE products p
    SET total_stock = p.total_stock + p_quantity, stripes = coalesce(p_stripes, p.stripes),
        stock_version = p.stock_version + 1, updated_at = now()
    WHERE p.id = p_product AND p.total_stock <= p_max_total - p_quantity
    RETURNING p.stripes INTO n;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM 1 FROM stock_stripes ss WHERE ss.product_id = p_product ORDER BY ss.stripe FOR UPDATE;
    SELECT sum(ss.available_stock) + p_quantity INTO available FROM stock_stripes ss WHERE ss.product_id = p_product;
    INSERT INTO stock_stripes (product_id, stripe, available_stock)
    SELECT p_product, g, 0 FROM generate_series(0, n - 1) g
    ON CONFLICT DO NOTHING;
    UPDATE stock_stripes ss
    SET available_stock = CASE WHEN ss.stripe < n THEN available / n + (CASE WHEN ss.stripe < available % n THEN 1 ELSE 0 END)
                               ELSE 0 END,
        changes = ss.changes + 1, updated_at = now()
    WHERE ss.product_id = p_product;
    RETURN NEXT p_product;
END
$$;

-- The expire transition, now on stripes: each expired hold's units go back to the stripe it took them from, one
-- relative increment per (product, stripe) per batch, stripes locked in (product, stripe) order.
DROP FUNCTION expire_due_holds(integer);
CREATE FUNCTION expire_due_holds(batch_size integer)
RETURNS TABLE (hold_id uuid, shopper_id uuid, product_id uuid, quantity integer, expires_at timestamptz,
               ended_at timestamptz)
LANGUAGE sql VOLATILE AS $$
    WITH due AS (
        SELECT h.id FROM holds h
        WHERE h.status = 'ACTIVE' AND h.expires_at <= now()
        ORDER BY h.expires_at
        LIMIT batch_size
        FOR UPDATE SKIP LOCKED
    ), expired AS (
        UPDATE holds h SET status = 'EXPIRED', ended_at = now()
        FROM due
        WHERE h.id = due.id AND h.status = 'ACTIVE'
        RETURNING h.id, h.shopper_id, h.product_id, h.stripe, h.quantity, h.expires_at, h.ended_at
    ), units AS (
        SELECT e.product_id, e.stripe, sum(e.quantity)::integer AS units FROM expired e GROUP BY e.product_id, e.stripe
    ), locked AS (
        SELECT s.product_id FROM stock_stripes s JOIN units u ON u.product_id = s.product_id AND u.stripe = s.stripe
        ORDER BY s.product_id, s.stripe FOR UPDATE OF s
    ), restored AS (
        UPDATE stock_stripes s
        SET available_stock = s.available_stock + u.units, changes = s.changes + 1, updated_at = now()
        FROM units u
        WHERE s.product_id = u.product_id AND s.stripe = u.stripe AND (SELECT count(*) FROM locked) >= 0
        RETURNING s.product_id
    )
    SELECT e.id, e.shopper_id, e.product_id, e.quantity, e.expires_at, e.ended_at FROM expired e
$$;

-- The books: what the invariant total = available + active + completed is checked against (tests, benchmarks, the
-- worker's continuous audit). One home for the question "does this product balance?".
CREATE VIEW stock_books AS
SELECT s.product_id, s.total_stock, s.available_stock,
       coalesce(h.active, 0) AS active, coalesce(h.completed, 0) AS completed
FROM product_stock s
LEFT JOIN (SELECT product_id,
                  sum(quantity) FILTER (WHERE status = 'ACTIVE') AS active,
                  sum(quantity) FILTER (WHERE status = 'COMPLETED') AS completed
           FROM holds GROUP BY product_id) h ON h.product_id = s.product_id;
