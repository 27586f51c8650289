-- The waiting room's draw key of a shopper: SHA-256 of the UTF-8 bytes of the draw's seed followed by the shopper's
-- canonical lowercase id. The draw (keep_queues) orders its entrants by it, and GET …/queue/draw publishes it per
-- place, so both use this one definition of the published recipe (QueueStatus.DRAW_RECIPE says it in words).
-- STABLE like convert_to, so the planner inlines it. This file is the function's one home.
CREATE OR REPLACE FUNCTION draw_key(p_seed text, p_shopper uuid)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(p_seed || p_shopper::text, 'UTF8'))
$$;

COMMENT ON FUNCTION draw_key(text, uuid) IS
    'The waiting room''s draw key (the published recipe); defined in db/migration/R__draw_key.sql of inventory-service';
