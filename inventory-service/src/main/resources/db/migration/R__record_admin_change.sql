-- Records an operator's change in admin_audit, in the caller's transaction, after the change ran: p_before is
-- product_audit_fields(p_product) read in that transaction before the change (NULL for a product just created). The
-- record keeps only the fields that changed, before and after; a creation keeps every field as after. Without a
-- product (the demo reset) after says how many products there are now. Returns the record's id.
CREATE OR REPLACE FUNCTION record_admin_change(p_action text, p_product uuid, p_before jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    now_fields jsonb := product_audit_fields(p_product);
    changed_before jsonb;
    changed_after jsonb;
    id bigint;
BEGIN
    IF p_product IS NULL THEN
        changed_after := jsonb_build_object('products', (SELECT count(*) FROM products));
    ELSIF p_before IS NULL THEN
        changed_after := now_fields;
    ELSE
        SELECT coalesce(jsonb_object_agg(b.key, b.value), '{}'), coalesce(jsonb_object_agg(b.key, a.value), '{}')
        INTO changed_before, changed_after
        FROM jsonb_each(p_before) b JOIN jsonb_each(now_fields) a ON a.key = b.key
        WHERE a.value IS DISTINCT FROM b.value;
    END IF;
    INSERT INTO admin_audit (action, product_id, before, after)
    VALUES (p_action, p_product, changed_before, changed_after)
    RETURNING admin_audit.id INTO id;
    RETURN id;
END
$$;

COMMENT ON FUNCTION record_admin_change(text, uuid, jsonb) IS
    'Records an operator''s change in admin_audit; defined in db/migration/R__record_admin_change.sql of inventory-service';
