-- Reserve's careful path, for everything the one-statement fast path (sql/reserve.sql) leaves to it: a product with a
-- per-shopper limit, a request no single stripe covers, a stripe that emptied meanwhile, and every refusal. One
-- statement for the caller, so it is atomic; it says why it refused (outcome) instead of leaving the caller to guess
-- from a later read:
--   RESERVED (the hold's columns are set), NOT_FOUND, SALE_NOT_ACTIVE (the product's sale window, and sale_ended: whether
--   it ended rather than not opened yet, by the database clock of this statement), LIMIT_EXCEEDED (remaining = what the
--   shopper may still reserve), OUT_OF_STOCK (available = what is left), NOT_ADMITTED and TURN_LIMIT_EXCEEDED (a
--   queued product: below).
-- The hold: a new one costs its units at today's price and may live until now + p_max_lifetime_millis
-- (latest_expires_at); a merge adds its units at today's price to the amount and resets the expiry, never past
-- latest_expires_at. merge_holds (R__merge_holds.sql) writes it, as every reserve path does.
-- Per-shopper limits: reserves of one shopper and product are serialised by a transaction-level advisory lock taken
-- first, so the next statement's snapshot sees every earlier reserve of that pair; active holds plus completed
-- purchases then never pass the limit, however many requests the shopper fires at once. Stock: one stripe that covers
-- the request, from a random start, as the fast path does; failing that, the stripes are summed without locks in one
-- snapshot, so a sold-out product refuses without taking a lock (or waiting for a WAL flush at commit) while the crowd
-- keeps pressing Reserve. Only when together they hold enough are they locked (in stripe order), summed again and
-- taken from the fullest first, so OUT_OF_STOCK means the product as a whole has too little.
-- A queued product (products.queue) sells only to a shopper with an open admission (queue_entries ADMITTED before
-- its deadline), which the reserve uses up (RESERVED) in this same statement, or to one adding to their own ACTIVE
-- hold of it; anyone else is refused NOT_ADMITTED with their queue position and state (null when not in the queue).
-- An admission is one turn: it grants up to p_turn_units units (flashsale.max-per-request), or the product's
-- max_per_shopper if lower, taken in one reserve or several (merged into the hold the admission made) while that hold
-- is ACTIVE. A reserve that would pass the grant is refused TURN_LIMIT_EXCEEDED (remaining = what the turn still
-- grants), so one admitted shopper cannot take the stock the keeper admitted the others for (R__keep_queues.sql admits
-- by the units available). The shopper's queue entry, locked first, serialises their reserves, so the grant holds
-- however many they send at once.
-- A refused reserve leaves the admission as it was.
-- The rules it shares are functions, each in its R__<function>.sql: sale_is_on, sale_has_ended, admission_open and
-- queue_entry_state, which the planner inlines, and merge_holds (the insert-or-merge of the hold).
-- This file is the function's one home (a Flyway repeatable migration, re-applied whenever it changes).
CREATE OR REPLACE FUNCTION reserve_checked(p_product uuid, p_shopper uuid, p_quantity integer, p_ttl_millis bigint,
                                           p_max_lifetime_millis bigint, p_turn_units integer)
RETURNS TABLE (outcome text, available integer, remaining integer, sale_starts_at timestamptz,
               sale_ends_at timestamptz, sale_ended boolean, id uuid, product_id uuid, quantity integer, status text,
               price_cents bigint, amount_cents bigint, created_at timestamptz, expires_at timestamptz,
               latest_expires_at timestamptz, ended_at timestamptz, merged boolean, queue_position integer,
               queue_state text)
LANGUAGE plpgsql VOLATILE
-- Every statement here finds its rows by an index; a plan cached while holds was tiny must not scan it once a drop has
-- grown it: README "Planner statistics of holds".
SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    product record;
    entry record;
    admission boolean := false;
    turn_taken integer;
    turn_grant integer;
    used bigint;
    in_stock integer;
    needed integer := p_quantity;
    taken integer;
    first_stripe smallint;
    s record;
BEGIN
    SELECT p.price_cents, p.max_per_shopper, p.stripes, p.sale_starts_at, p.sale_ends_at, p.queue,
           sale_is_on(p.sale_starts_at, p.sale_ends_at) AS on_sale, sale_has_ended(p.sale_ends_at) AS ended
    INTO product FROM products p WHERE p.id = p_product;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'NOT_FOUND', NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz,
            NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz,
            NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::integer, NULL::text;
        RETURN;
    END IF;
    IF NOT product.on_sale THEN
        RETURN QUERY SELECT 'SALE_NOT_ACTIVE', NULL::integer, NULL::integer, product.sale_starts_at,
            product.sale_ends_at, product.ended, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz,
            NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::integer, NULL::text;
        RETURN;
    END IF;
    IF product.queue THEN
        -- The shopper's place, locked: concurrent reserves of one shopper take turns here, so an admission is used
        -- once, and the next one's fresh snapshot sees the hold the first made (adding to it is allowed).
        SELECT e.position, e.state, e.admission_expires_at INTO entry
        FROM queue_entries e WHERE e.product_id = p_product AND e.shopper_id = p_shopper FOR UPDATE;
        admission := FOUND AND admission_open(entry.state, entry.admission_expires_at);
        SELECT h.quantity INTO turn_taken FROM holds h
        WHERE h.shopper_id = p_shopper AND h.product_id = p_product AND h.status = 'ACTIVE';
        IF NOT admission AND turn_taken IS NULL THEN
            RETURN QUERY SELECT 'NOT_ADMITTED', NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz,
                NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz,
                NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean, entry.position,
                queue_entry_state(entry.state, entry.admission_expires_at);
            RETURN;
        END IF;
        turn_grant := least(p_turn_units, coalesce(product.max_per_shopper, p_turn_units));
        IF coalesce(turn_taken, 0) + p_quantity > turn_grant THEN
            RETURN QUERY SELECT 'TURN_LIMIT_EXCEEDED', NULL::integer,
                greatest(turn_grant - coalesce(turn_taken, 0), 0)::integer, NULL::timestamptz, NULL::timestamptz,
                NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint,
                NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean,
                NULL::integer, NULL::text;
            RETURN;
        END IF;
    END IF;
    IF product.max_per_shopper IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(p_shopper::text || '/' || p_product::text, 0));
        SELECT coalesce(sum(h.quantity), 0) INTO used FROM holds h
        WHERE h.shopper_id = p_shopper AND h.product_id = p_product AND h.status IN ('ACTIVE', 'COMPLETED');
        IF used + p_quantity > product.max_per_shopper THEN
            RETURN QUERY SELECT 'LIMIT_EXCEEDED', NULL::integer, greatest(product.max_per_shopper - used, 0)::integer,
                NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz,
                NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::integer, NULL::text;
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
            RETURN QUERY SELECT 'OUT_OF_STOCK', in_stock, NULL::integer, NULL::timestamptz, NULL::timestamptz,
                NULL::boolean, NULL::uuid, NULL::uuid, NULL::integer, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz,
                NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::integer, NULL::text;
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
    IF admission THEN
        UPDATE queue_entries e SET state = 'RESERVED', ended_at = now()
        WHERE e.product_id = p_product AND e.shopper_id = p_shopper AND e.state = 'ADMITTED';
    END IF;
    RETURN QUERY
    SELECT 'RESERVED'::text, NULL::integer, NULL::integer, NULL::timestamptz, NULL::timestamptz, NULL::boolean, m.id,
           m.product_id, m.quantity, m.status, m.price_cents, m.amount_cents, m.created_at, m.expires_at,
           m.latest_expires_at, m.ended_at, m.merged, NULL::integer, NULL::text
    FROM merge_holds(p_product, ARRAY[p_shopper], ARRAY[p_quantity], ARRAY[first_stripe], product.price_cents,
                     p_ttl_millis, p_max_lifetime_millis) m;
END
$$;

COMMENT ON FUNCTION reserve_checked(uuid, uuid, integer, bigint, bigint, integer) IS
    'Reserve''s careful path; defined in db/migration/R__reserve_checked.sql of inventory-service';
