-- The waiting room's keeper: places, draws, admits, lapses and closes the queues of queued products. Run by the
-- expiry-worker every flashsale.queue.keeper-interval, by any number of workers at once: each product's queue row
-- (product_queues) is claimed FOR UPDATE SKIP LOCKED, so one product's queue is kept by exactly one transaction at a
-- time, and every step below runs in that transaction (one statement for the caller: all of it or nothing).
-- Per product, in order:
-- 1. The draw, once, when the sale has started (sale_starts_at <= now(), or at once without a sale_starts_at): every
--    entry that joined before sale_starts_at gets a position 1..N in a random order fixed by a fresh seed, recorded
--    with the draw. The recipe, for anyone to recompute from the published seed and the entrants' ids:
--      key(shopper) = SHA-256 of the UTF-8 bytes of seed || shopper_id (draw_key, R__draw_key.sql), where seed is the
--      32 lowercase hex digits published and shopper_id the canonical lowercase 36-character UUID; positions 1..N in
--      ascending key order (keys compared as unsigned bytes, i.e. as lowercase hex strings), ties (never seen) by
--      shopper_id.
--    Before the draw nobody is placed and nobody is admitted.
-- 2. Arrivals: entries not yet placed (joined at or after sale_starts_at, or whose join committed during the draw)
--    get the next positions in arrival order (joined_at, then shopper_id).
-- 3. Lapses: admissions past their deadline (admission_lapsed, R__admission_lapsed.sql) become LAPSED, freeing their
--    share of the stock for the next in line.
-- 4. Admission, in position order, while admitted-but-not-yet-reserved <= ceil(factor * (available + held)) - held:
--    with factor 1 the open admissions never exceed the units available now, and a unit that comes back (a hold
--    expired or cancelled) admits the next in line; a factor above 1 admits ahead of held units that may come back.
--    The figures and the choice are one statement, one snapshot. Nobody is admitted while the operator has paused
--    the queue (product_queues.paused_at, read under the row's lock, which a pause takes too); the other steps go on.
-- 5. The close: when the product has sold out for good (nothing available, nothing held) or its sale has ended, the
--    queue closes and every WAITING or ADMITTED entry becomes SOLD_OUT in that same transaction.
-- 6. The sweep, after the loop, over the queues closed in the last 10 minutes: a join reads the queue open and inserts
--    without locking it, so a join whose statement began before a close committed can commit its WAITING entry after
--    the close's update ran; the sweep's later snapshot sees it, and it becomes SOLD_OUT too (this run or the next).
--    Such an entry is never placed (nothing of a closed queue is), so only unplaced WAITING entries are swept: one
--    probe of queue_entries_waiting per recently closed queue. A join is one autocommit statement of milliseconds,
--    so 10 minutes is ample. The strays are claimed SKIP LOCKED: racing workers never wait for one another here
--    (one whose plan took them in another order could otherwise deadlock); what one skips, the next run takes.
--    A queue closed in this very run may come back twice (kept, then swept): the counts add up.
-- Locks: the product's queue row, then entries (WAITING ones in position order); it reads stripes and holds without
-- locking them. reserve_checked locks the shopper's entry, then holds, then stripes: no cycle.
-- Returns a row per product kept, saying what changed, and one per closed queue the sweep found entries in.
-- This file is the function's one home.
CREATE OR REPLACE FUNCTION keep_queues(p_factor numeric, p_max_products integer)
RETURNS TABLE (product_id uuid, drawn boolean, placed integer, admitted integer, lapsed integer, sold_out integer)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    q record;
    seed text;
    keys bytea;
    top integer;
    n_drawn integer;
    n_placed integer;
    n_admitted integer;
    n_lapsed integer;
    n_sold_out integer;
    in_stock bigint;
    held bigint;
BEGIN
    INSERT INTO product_queues (product_id)
    SELECT p.id FROM products p
    WHERE p.queue AND NOT EXISTS (SELECT 1 FROM product_queues pq WHERE pq.product_id = p.id)
    ON CONFLICT DO NOTHING;

    FOR q IN SELECT pq.product_id AS id, pq.drawn_at, pq.placed, pq.paused_at, p.sale_starts_at, p.sale_ends_at,
                    p.admission_ttl_millis
             FROM product_queues pq JOIN products p ON p.id = pq.product_id
             WHERE p.queue AND pq.closed_at IS NULL
               AND (pq.drawn_at IS NOT NULL OR sale_has_started(p.sale_starts_at))
             ORDER BY pq.product_id
             LIMIT p_max_products
             FOR UPDATE OF pq SKIP LOCKED LOOP
        top := q.placed;
        n_drawn := NULL;
        n_sold_out := 0;

        IF q.drawn_at IS NULL THEN
            -- The entrants arrived since the last statistics (a queue fills from nothing before its sale): planned
            -- on "queue_entries is empty", the draw's update ran for over 10 minutes on 100,000 entrants; with
            -- statistics, 4 s. Once per draw; skipped while another ANALYZE of it runs (that one is as fresh).
            ANALYZE (SKIP_LOCKED) queue_entries;
            seed := md5(gen_random_uuid()::text || gen_random_uuid()::text);
            -- Nobody is placed before the draw (top is 0): the draw's places are 1..N, and their keys, in position
            -- order, are published as they are now (product_queues.draw_keys, V9__published_draw.sql).
            WITH ranked AS (
                SELECT e.shopper_id, draw_key(seed, e.shopper_id) AS key,
                       row_number() OVER (ORDER BY draw_key(seed, e.shopper_id),
                                                   e.shopper_id) AS pos
                FROM queue_entries e
                WHERE e.product_id = q.id AND e.position IS NULL AND e.joined_at < q.sale_starts_at
            ), drawn AS (
                UPDATE queue_entries e SET position = top + r.pos
                FROM ranked r
                WHERE e.product_id = q.id AND e.shopper_id = r.shopper_id AND e.position IS NULL
                RETURNING e.position, r.key
            )
            SELECT count(*), coalesce(max(d.position), top), coalesce(string_agg(d.key, ''::bytea ORDER BY d.position), '')
            INTO n_drawn, top, keys FROM drawn d;
            UPDATE product_queues pq
            SET draw_seed = seed, drawn_at = now(), draw_cutoff = q.sale_starts_at, draw_entrants = n_drawn,
                draw_keys = keys
            WHERE pq.product_id = q.id;
        END IF;

        WITH arrivals AS (
            SELECT e.shopper_id, row_number() OVER (ORDER BY e.joined_at, e.shopper_id) AS k
            FROM queue_entries e
            WHERE e.product_id = q.id AND e.position IS NULL
        ), appended AS (
            UPDATE queue_entries e SET position = top + a.k
            FROM arrivals a
            WHERE e.product_id = q.id AND e.shopper_id = a.shopper_id AND e.position IS NULL
            RETURNING e.position
        )
        SELECT count(*), coalesce(max(a.position), top) INTO n_placed, top FROM appended a;
        IF top <> q.placed THEN
            UPDATE product_queues pq SET placed = top WHERE pq.product_id = q.id;
        END IF;

        WITH ended AS (
            UPDATE queue_entries e SET state = 'LAPSED', ended_at = now()
            WHERE e.product_id = q.id AND admission_lapsed(e.state, e.admission_expires_at)
            RETURNING 1
        )
        SELECT count(*) INTO n_lapsed FROM ended;

        WITH figures AS (
            SELECT (SELECT coalesce(sum(ss.available_stock), 0) FROM stock_stripes ss
                    WHERE ss.product_id = q.id) AS available,
                   (SELECT coalesce(sum(h.quantity), 0) FROM holds h
                    WHERE h.product_id = q.id AND h.status = 'ACTIVE') AS held,
                   (SELECT count(*) FROM queue_entries e
                    WHERE e.product_id = q.id AND e.state = 'ADMITTED') AS open_admissions
        ), chosen AS (
            SELECT e.shopper_id FROM queue_entries e
            WHERE e.product_id = q.id AND e.state = 'WAITING' AND e.position IS NOT NULL
              AND NOT sale_has_ended(q.sale_ends_at) AND q.paused_at IS NULL
            ORDER BY e.position
            LIMIT (SELECT greatest(ceil(p_factor * (f.available + f.held)) - f.held - f.open_admissions, 0)
                   FROM figures f)
            FOR UPDATE
        ), admitted AS (
            UPDATE queue_entries e
            SET state = 'ADMITTED', admitted_at = now(),
                admission_expires_at = now() + q.admission_ttl_millis * interval '1 millisecond'
            FROM chosen c
            WHERE e.product_id = q.id AND e.shopper_id = c.shopper_id AND e.state = 'WAITING'
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM admitted), f.available, f.held INTO n_admitted, in_stock, held FROM figures f;

        IF (in_stock = 0 AND held = 0) OR sale_has_ended(q.sale_ends_at) THEN
            WITH closed AS (
                UPDATE queue_entries e SET state = 'SOLD_OUT', ended_at = now()
                WHERE e.product_id = q.id AND e.state IN ('WAITING', 'ADMITTED')
                RETURNING 1
            )
            SELECT count(*) INTO n_sold_out FROM closed;
            UPDATE product_queues pq SET closed_at = now() WHERE pq.product_id = q.id;
        END IF;

        RETURN QUERY SELECT q.id, n_drawn IS NOT NULL, (coalesce(n_drawn, 0) + n_placed)::integer,
                            n_admitted::integer, n_lapsed::integer, n_sold_out::integer;
    END LOOP;

    RETURN QUERY
    WITH stray AS (
        SELECT e.product_id, e.shopper_id FROM queue_entries e
        WHERE e.state = 'WAITING' AND e.position IS NULL
          AND e.product_id = ANY (ARRAY(SELECT pq.product_id FROM product_queues pq
                                        WHERE pq.closed_at > now() - interval '10 minutes'))
        FOR UPDATE SKIP LOCKED
    ), swept AS (
        UPDATE queue_entries e SET state = 'SOLD_OUT', ended_at = greatest(now(), e.joined_at)
        FROM stray s
        WHERE e.product_id = s.product_id AND e.shopper_id = s.shopper_id AND e.state = 'WAITING'
        RETURNING e.product_id
    )
    SELECT s.product_id, false, 0, 0, 0, count(*)::integer FROM swept s GROUP BY s.product_id;
END
$$;

COMMENT ON FUNCTION keep_queues(numeric, integer) IS
    'The waiting room''s keeper (draw, placing, admission, lapses, close); defined in db/migration/R__keep_queues.sql of inventory-service';
