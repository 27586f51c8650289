-- Reserve for a batch of requests on one product in one statement: the group commit of the hot product. An
-- inventory-service instance queues the reserves of a product that arrive while its previous statement is in flight
-- and sends them here together, so the batch costs one commit (one WAL flush) instead of one each.
-- Each request ($2[i], $3[i]) gets the answer it would have had alone, in arrival order: sale window, then the
-- shopper's limit (counting the batch's earlier holds), then stock (what the earlier requests left); a request that
-- does not fit is refused and a later, smaller one may still fit. A batch the product cannot serve at all (sold out,
-- or every request over its limit) is refused without a lock on holds or stock. A queued product is not served here:
-- every request is answered QUEUED and the caller sends each to reserve_checked (which uses up the admission).
-- Locks: the shoppers' limit keys (sorted), their ACTIVE holds (by shopper), then every stripe (by stripe): the order of
-- reserve_checked, cancel and expire_due_holds (hold before stock). Decided in memory; then one decrement per stripe
-- touched (fullest first) and one merge_holds of the requests served (one hold per shopper). Price and lifetime as
-- reserve_checked. A SALE_NOT_ACTIVE refusal carries the sale window and whether it ended, by this statement's clock.
-- Idempotency-Keys ($4[i], with $5[i] the hash of its product and quantity; null without a key), README "Idempotency-Key"
-- and the keys' records are read first; a key that answered settles its request (the same hash REPLAYED with
-- the stored hold, another KEY_REUSED), taking nothing. A keyed request RESERVED inserts its record (201 new, 200
-- merged; the hold as hold_answer writes it) in this statement, in key order; a refused one writes nothing. A key
-- another transaction claimed meanwhile fails the statement whole with 40001 (idempotency_key_answered) and the
-- caller sends the reserves one by one, where the retry is replayed. The caller never puts one key in a batch twice.
-- Shared rules, each in its R__<function>.sql: sale_is_on, sale_has_ended (inlined), merge_holds, hold_answer.
DROP FUNCTION IF EXISTS reserve_batch(uuid, uuid[], integer[], bigint, bigint); -- the definition before the keys
CREATE OR REPLACE FUNCTION reserve_batch(p_product uuid, p_shoppers uuid[], p_quantities integer[],
                                         p_keys text[], p_hashes text[], p_ttl_millis bigint,
                                         p_max_lifetime_millis bigint)
RETURNS TABLE (ordinal integer, outcome text, available integer, remaining integer, sale_starts_at timestamptz,
               sale_ends_at timestamptz, sale_ended boolean, id uuid, product_id uuid, quantity integer, status text,
               price_cents bigint, amount_cents bigint, created_at timestamptz, expires_at timestamptz,
               latest_expires_at timestamptz, ended_at timestamptz, merged boolean)
LANGUAGE plpgsql VOLATILE
-- Every statement here finds its rows by an index, and a plan cached while a table was tiny (an emptied holds, a
-- fresh idempotency_records) must not scan it once a drop has grown it: README "Planner statistics of holds".
SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    product record;
    requests integer := cardinality(p_shoppers);
    in_stock integer;
    outcomes text[];
    availables integer[];
    remainings integer[];
    firsts smallint[];
    limited_shoppers uuid[];
    limit_key bigint;
    used bigint[];
    k integer;
    stripe_ids smallint[];
    stripe_stock integer[];
    stripe_taken integer[];
    current integer := 1;
    needed integer;
    taken integer;
    i integer;
    keyed boolean;
    replays jsonb[];
    replay_merged boolean[];
    record_row record;
    settled integer := 0;
BEGIN
    IF requests IS NULL OR requests IS DISTINCT FROM cardinality(p_quantities) THEN
        RAISE EXCEPTION 'reserve_batch: % shoppers but % quantities', requests, cardinality(p_quantities);
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_quantities) q WHERE q IS NULL OR q < 1)
            OR EXISTS (SELECT 1 FROM unnest(p_shoppers) s WHERE s IS NULL) THEN
        RAISE EXCEPTION 'reserve_batch: every request needs a shopper and a quantity of at least 1';
    END IF;
    IF p_keys IS NOT NULL AND (cardinality(p_keys) <> requests OR cardinality(p_hashes) IS DISTINCT FROM requests
            OR EXISTS (SELECT 1 FROM generate_series(1, requests) r(i)
                       WHERE (p_keys[r.i] IS NULL) <> (p_hashes[r.i] IS NULL))) THEN
        RAISE EXCEPTION 'reserve_batch: every key needs its request hash';
    END IF;
    keyed := EXISTS (SELECT 1 FROM unnest(p_keys) k WHERE k IS NOT NULL);
    outcomes := array_fill(NULL::text, ARRAY[requests]);
    availables := array_fill(NULL::integer, ARRAY[requests]);
    remainings := array_fill(NULL::integer, ARRAY[requests]);
    firsts := array_fill(NULL::smallint, ARRAY[requests]);
    SELECT p.price_cents, p.max_per_shopper, p.sale_starts_at, p.sale_ends_at, p.queue,
           sale_is_on(p.sale_starts_at, p.sale_ends_at) AS on_sale, sale_has_ended(p.sale_ends_at) AS ended
    INTO product FROM products p WHERE p.id = p_product;
    IF FOUND AND product.on_sale AND product.queue THEN
        -- A queued product's reserves check and use up admissions: reserve_checked does, one at a time.
        RETURN QUERY SELECT g, 'QUEUED', NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz,
            NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint,
            NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean
        FROM generate_series(1, requests) g;
        RETURN;
    END IF;
    IF keyed THEN
        -- Settle the requests whose key already answered.
        replays := array_fill(NULL::jsonb, ARRAY[requests]);
        replay_merged := array_fill(NULL::boolean, ARRAY[requests]);
        -- One probe of the primary key per key, in one statement: OFFSET 0 keeps each probe a subquery of its own
        -- request (never a join the planner could turn into a walk of every record), and enable_seqscan = off (the
        -- function's SET, below) keeps it on the index whatever size the table had when the plan was cached.
        FOR record_row IN
            SELECT r.i, found.request_hash, found.response_status, found.response_body
            FROM generate_series(1, requests) r(i),
                 LATERAL (SELECT ir.request_hash, ir.response_status, ir.response_body FROM idempotency_records ir
                          WHERE ir.shopper_id = p_shoppers[r.i] AND ir.idempotency_key = p_keys[r.i] OFFSET 0) found
            WHERE p_keys[r.i] IS NOT NULL
        LOOP
            i := record_row.i;
            IF record_row.request_hash <> p_hashes[i] THEN
                outcomes[i] := 'KEY_REUSED';
            ELSIF record_row.response_status IS NULL THEN
                RAISE EXCEPTION 'reserve_batch: key % committed without an answer', p_keys[i];
            ELSE
                outcomes[i] := 'REPLAYED';
                replays[i] := record_row.response_body;
                replay_merged[i] := record_row.response_status = 200;
            END IF;
            settled := settled + 1;
        END LOOP;
    END IF;
    IF settled > 0 THEN
        -- The settled requests' answers: the stored hold, read back from the JSON the API answered.
        RETURN QUERY SELECT r.i, outcomes[r.i], NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz,
            NULL::boolean, (b->>'id')::uuid, (b->>'productId')::uuid, (b->>'quantity')::integer, b->>'status',
            (b->>'priceCents')::bigint, (b->>'amountCents')::bigint, (b->>'createdAt')::timestamptz,
            (b->>'expiresAt')::timestamptz, (b->>'latestExpiresAt')::timestamptz, (b->>'endedAt')::timestamptz,
            replay_merged[r.i]
        FROM generate_series(1, requests) r(i), LATERAL (SELECT replays[r.i] AS b) body
        WHERE outcomes[r.i] IS NOT NULL;
    END IF;
    IF product IS NULL OR NOT product.on_sale THEN
        RETURN QUERY SELECT g, CASE WHEN product IS NULL THEN 'NOT_FOUND' ELSE 'SALE_NOT_ACTIVE' END,
            NULL::integer, NULL::integer, product.sale_starts_at, product.sale_ends_at, product.ended, NULL::uuid,
            NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz,
            NULL::timestamptz, NULL::timestamptz, NULL::boolean
        FROM generate_series(1, requests) g WHERE outcomes[g] IS NULL;
        RETURN;
    END IF;
    IF product.max_per_shopper IS NOT NULL THEN
        FOR limit_key IN SELECT DISTINCT hashtextextended(s::text || '/' || p_product::text, 0)
                         FROM unnest(p_shoppers) s ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock(limit_key); -- one at a time, in key order: batches never deadlock on them
        END LOOP;
        -- Each shopper's ACTIVE and COMPLETED units of the product, read after their limit keys are held.
        SELECT array_agg(s), array_agg((SELECT coalesce(sum(h.quantity), 0) FROM holds h
                                        WHERE h.shopper_id = s AND h.product_id = p_product
                                          AND h.status IN ('ACTIVE', 'COMPLETED')))
        INTO limited_shoppers, used
        FROM (SELECT DISTINCT s FROM unnest(p_shoppers) s) distinct_shoppers;
    END IF;
    -- Nothing in the batch can be served at this statement's snapshot (sold out, or each request over its shopper's
    -- limit): refuse them all without locking holds or stripes, as reserve_checked does, so the crowd's refusals
    -- after the last unit neither queue nor wait for a flush. Refusals take nothing, so each answer is the one the
    -- request would have had alone. (Without a limit, `over` is null: never a LIMIT_EXCEEDED.)
    SELECT coalesce(sum(ss.available_stock), 0) INTO in_stock FROM stock_stripes ss WHERE ss.product_id = p_product;
    IF NOT EXISTS (SELECT 1 FROM generate_series(1, requests) r(i)
                   WHERE outcomes[r.i] IS NULL AND p_quantities[r.i] <= in_stock
                     AND (product.max_per_shopper IS NULL
                          OR used[array_position(limited_shoppers, p_shoppers[r.i])] + p_quantities[r.i]
                                 <= product.max_per_shopper)) THEN
        RETURN QUERY
        SELECT r.i, CASE WHEN o.over THEN 'LIMIT_EXCEEDED' ELSE 'OUT_OF_STOCK' END,
               CASE WHEN o.over THEN NULL ELSE in_stock END,
               CASE WHEN o.over THEN greatest(product.max_per_shopper - u.shopper_used, 0)::integer END,
               NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer,
               NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz,
               NULL::timestamptz, NULL::boolean
        FROM generate_series(1, requests) r(i),
             LATERAL (SELECT used[array_position(limited_shoppers, p_shoppers[r.i])] AS shopper_used) u,
             LATERAL (SELECT u.shopper_used + p_quantities[r.i] > product.max_per_shopper AS over) o
        WHERE outcomes[r.i] IS NULL
        ORDER BY r.i;
        RETURN;
    END IF;
    -- One probe of the unique index per shopper, in shopper order. (Not `shopper_id = ANY (p_shoppers)`: priced for
    -- 64 shoppers at once, a walk of an index that the statistics take for empty looked cheaper than 64 probes, and
    -- read every ACTIVE hold; a probe for one shopper has no such rival. V13__active_hold_lookup.sql.)
    PERFORM 1 FROM (SELECT DISTINCT s FROM unnest(p_shoppers) s ORDER BY s) shopper,
        LATERAL (SELECT h.id FROM holds h
                 WHERE h.product_id = p_product AND h.shopper_id = shopper.s AND h.status = 'ACTIVE' FOR UPDATE) held;
    PERFORM 1 FROM stock_stripes ss WHERE ss.product_id = p_product ORDER BY ss.stripe FOR UPDATE;
    SELECT array_agg(ss.stripe ORDER BY ss.available_stock DESC, ss.stripe),
           array_agg(ss.available_stock ORDER BY ss.available_stock DESC, ss.stripe)
    INTO stripe_ids, stripe_stock
    FROM stock_stripes ss WHERE ss.product_id = p_product AND ss.available_stock > 0;
    in_stock := coalesce((SELECT sum(x) FROM unnest(stripe_stock) x), 0);
    stripe_taken := array_fill(0, ARRAY[coalesce(cardinality(stripe_ids), 0)]);

    FOR i IN 1 .. requests LOOP
        CONTINUE WHEN outcomes[i] IS NOT NULL; -- settled by its key
        IF product.max_per_shopper IS NOT NULL THEN
            k := array_position(limited_shoppers, p_shoppers[i]);
            IF used[k] + p_quantities[i] > product.max_per_shopper THEN
                outcomes[i] := 'LIMIT_EXCEEDED';
                remainings[i] := greatest(product.max_per_shopper - used[k], 0);
                CONTINUE;
            END IF;
        END IF;
        IF p_quantities[i] > in_stock THEN
            outcomes[i] := 'OUT_OF_STOCK';
            availables[i] := in_stock;
            CONTINUE;
        END IF;
        outcomes[i] := 'RESERVED';
        IF product.max_per_shopper IS NOT NULL THEN
            used[k] := used[k] + p_quantities[i];
        END IF;
        in_stock := in_stock - p_quantities[i];
        needed := p_quantities[i];
        WHILE needed > 0 LOOP
            taken := least(needed, stripe_stock[current] - stripe_taken[current]);
            IF taken > 0 THEN
                stripe_taken[current] := stripe_taken[current] + taken;
                firsts[i] := coalesce(firsts[i], stripe_ids[current]);
                needed := needed - taken;
            END IF;
            IF needed > 0 THEN
                current := current + 1;
            END IF;
        END LOOP;
    END LOOP;

    UPDATE stock_stripes ss
    SET available_stock = ss.available_stock - t.taken, changes = ss.changes + 1, updated_at = now()
    FROM unnest(stripe_ids, stripe_taken) AS t(stripe, taken)
    WHERE ss.product_id = p_product AND ss.stripe = t.stripe AND t.taken > 0;

    RETURN QUERY
    WITH request AS (
        SELECT r.i, p_shoppers[r.i] AS shopper, p_quantities[r.i] AS q, outcomes[r.i] AS o, firsts[r.i] AS stripe
        FROM generate_series(1, requests) AS r(i)
    ), upserted AS (
        -- the requests served, in order, written in one call (none served: null arrays, nothing written)
        SELECT m.*
        FROM (SELECT array_agg(r.shopper ORDER BY r.i) AS shoppers, array_agg(r.q ORDER BY r.i) AS quantities,
                     array_agg(r.stripe ORDER BY r.i) AS stripes
              FROM request r WHERE r.o = 'RESERVED') served,
             merge_holds(p_product, served.shoppers, served.quantities, served.stripes, product.price_cents,
                         p_ttl_millis, p_max_lifetime_millis) m
    ), answered AS (
        SELECT r.i, r.o, u.*,
               -- what this request's hold held right after it: the final quantity less the later requests' units
               coalesce(sum(r.q) FILTER (WHERE r.o = 'RESERVED') OVER later, 0) AS later_units,
               count(*) FILTER (WHERE r.o = 'RESERVED') OVER earlier AS earlier_served
        FROM request r LEFT JOIN upserted u ON u.shopper_id = r.shopper AND r.o = 'RESERVED'
        WINDOW later AS (PARTITION BY r.shopper ORDER BY r.i ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING),
               earlier AS (PARTITION BY r.shopper ORDER BY r.i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), answer AS (
        SELECT a.i, a.o, availables[a.i] AS available, remainings[a.i] AS remaining, a.id,
               CASE WHEN a.id IS NULL THEN NULL ELSE p_product END AS product_id,
               (a.quantity - a.later_units)::integer AS quantity, a.status, a.price_cents,
               a.amount_cents - a.later_units * product.price_cents AS amount_cents, a.created_at, a.expires_at,
               a.latest_expires_at, a.ended_at,
               CASE WHEN a.id IS NULL THEN NULL ELSE a.merged OR a.earlier_served > 0 END AS merged
        FROM answered a WHERE a.o IS DISTINCT FROM 'REPLAYED' AND a.o IS DISTINCT FROM 'KEY_REUSED'
    ), stored AS (
        -- A keyed request served: its record, with its answer (hold_answer).
        INSERT INTO idempotency_records AS ir (shopper_id, idempotency_key, request_hash, response_status,
                                               response_body)
        SELECT p_shoppers[w.i], p_keys[w.i], p_hashes[w.i], CASE WHEN w.merged THEN 200 ELSE 201 END,
               hold_answer(w.id, w.product_id, w.quantity, w.status, w.price_cents, w.amount_cents, w.created_at,
                           w.expires_at, w.latest_expires_at, w.ended_at)
        FROM answer w
        WHERE w.o = 'RESERVED' AND p_keys[w.i] IS NOT NULL
        ORDER BY p_shoppers[w.i], p_keys[w.i]
        ON CONFLICT (shopper_id, idempotency_key)
        DO UPDATE SET response_status = idempotency_key_answered(ir.shopper_id, ir.idempotency_key)
    )
    SELECT w.i, w.o, w.available, w.remaining, NULL::timestamptz, NULL::timestamptz, NULL::boolean, w.id,
           w.product_id, w.quantity, w.status, w.price_cents, w.amount_cents, w.created_at, w.expires_at,
           w.latest_expires_at, w.ended_at, w.merged
    FROM answer w ORDER BY w.i;
END
$$;

COMMENT ON FUNCTION reserve_batch(uuid, uuid[], integer[], text[], text[], bigint, bigint) IS
    'Reserve a batch of one product (the group commit); defined in db/migration/R__reserve_batch.sql of inventory-service';
