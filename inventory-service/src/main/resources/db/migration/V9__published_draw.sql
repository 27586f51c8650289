-- The published draw (GET …/queue/draw) is the draw as it was made, and never changes after it: the keep_queues
-- draw (R__keep_queues.sql) stores every place's key, in position order, as one value of 32 bytes per place (place p
-- at bytes 32(p-1)+1 … 32p), so a page is one substring of one row, not a SHA-256 per place over queue_entries, and a
-- shopper who leaves after the draw does not take their key out of it. Stored uncompressed (SHA-256 does not
-- compress), so a page reads only its own slice of the value.
ALTER TABLE product_queues ADD COLUMN draw_keys bytea;
ALTER TABLE product_queues ALTER COLUMN draw_keys SET STORAGE EXTERNAL;

-- Queues drawn before this version: the keys of the places still held; a place given up before now has 32 zero
-- bytes (published as no key, as it was). The key as draw_key (R__draw_key.sql) defines it, written out: on a fresh
-- database this runs before the repeatable migrations have defined the function.
UPDATE product_queues pq
SET draw_keys = (
    SELECT coalesce(string_agg(coalesce(sha256(convert_to(pq.draw_seed || e.shopper_id::text, 'UTF8')),
                                        decode(repeat('00', 32), 'hex')),
                               ''::bytea ORDER BY p.position), ''::bytea)
    FROM generate_series(1, pq.draw_entrants) AS p (position)
    LEFT JOIN queue_entries e ON e.product_id = pq.product_id AND e.position = p.position
)
WHERE pq.draw_seed IS NOT NULL;

ALTER TABLE product_queues ADD CONSTRAINT draw_keys_with_the_draw
    CHECK ((draw_seed IS NULL) = (draw_keys IS NULL)
        AND (draw_keys IS NULL OR octet_length(draw_keys) = 32 * draw_entrants));
