-- A product's fields an operator sets, by their API names (the Product schema), as the audit log records them: the one
-- home of which fields the log shows. Stock is its total (available stock moves with every reserve, so it is not an
-- operator's field); the waiting room adds whether its admissions are paused. NULL for a product that does not exist.
CREATE OR REPLACE FUNCTION product_audit_fields(p_product uuid)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'sku', p.sku, 'name', p.name, 'description', p.description, 'imageUrl', p.image_url,
               'priceCents', p.price_cents, 'currency', p.currency, 'totalStock', p.total_stock,
               'stripes', p.stripes, 'saleStartsAt', p.sale_starts_at, 'saleEndsAt', p.sale_ends_at,
               'maxPerShopper', p.max_per_shopper, 'queue', p.queue, 'queueOpensAt', p.queue_opens_at,
               'admissionTtl', 'PT' || trim_scale(p.admission_ttl_millis / 1000.0)::text || 'S',
               'queuePaused', coalesce(pq.paused_at IS NOT NULL, false))
    FROM products p LEFT JOIN product_queues pq ON pq.product_id = p.id
    WHERE p.id = p_product
$$;

COMMENT ON FUNCTION product_audit_fields(uuid) IS
    'A product''s fields the audit log records, by their API names; defined in db/migration/R__product_audit_fields.sql of inventory-service';
