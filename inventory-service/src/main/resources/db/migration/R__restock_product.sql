-- Restock and re-stripe: add units (may be 0) and spread the product's whole available stock evenly over its
-- (possibly new number of) stripes, under a lock on every stripe. Retired stripes are emptied into the live ones.
-- Returns the product id, or no row when the product is missing or would pass max_total.
-- This file is the function's one home (a Flyway repeatable migration, re-applied whenever it changes).
CREATE OR REPLACE FUNCTION restock_product(p_product uuid, p_quantity integer, p_stripes integer, p_max_total integer)
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

COMMENT ON FUNCTION restock_product(uuid, integer, integer, integer) IS
    'Restock and re-stripe; defined in db/migration/R__restock_product.sql of inventory-service';
