-- The waiting room (issue 18): a queued product sells only to shoppers admitted from its queue.
-- products: queue on/off, when joining opens (before the sale starts) and how long an admission lasts.
-- product_queues: one row per queued product, the keeper's (expiry-worker, keep_queues in R__keep_queues.sql): it
-- locks this row FOR UPDATE SKIP LOCKED, so each product's queue is kept by one transaction at a time, and records the
-- draw (its published seed), the positions handed out so far, and when the queue closed.
-- queue_entries: one row per (product, shopper); a join is an INSERT … ON CONFLICT DO NOTHING that never locks the
-- product, so joining twice keeps one place. position is NULL until the keeper places the entry.
-- reserve_checked gains the admission check (and the queue place of a NOT_ADMITTED refusal): its result type
-- changes, so the old definition goes here and db/migration/R__reserve_checked.sql defines the new one.
ALTER TABLE products ADD COLUMN queue boolean NOT NULL DEFAULT false;
ALTER TABLE products ADD COLUMN queue_opens_at timestamptz;
ALTER TABLE products ADD COLUMN admission_ttl_millis bigint NOT NULL DEFAULT 60000
    CHECK (admission_ttl_millis BETWEEN 5000 AND 3600000);
ALTER TABLE products ADD CONSTRAINT queue_opens_before_sale
    CHECK (queue_opens_at IS NULL OR (sale_starts_at IS NOT NULL AND queue_opens_at < sale_starts_at));

CREATE TABLE product_queues (
    product_id    uuid        PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    -- 32 hex digits, drawn when the sale opens and published from then on; the recipe is in R__keep_queues.sql.
    draw_seed     text,
    drawn_at      timestamptz,
    -- The draw's cut-off (the sale_starts_at it ran for) and how many entries it placed.
    draw_cutoff   timestamptz,
    draw_entrants integer,
    -- The highest position handed out so far; positions are never reused.
    placed        integer     NOT NULL DEFAULT 0,
    closed_at     timestamptz,
    CONSTRAINT drawn_with_a_seed CHECK ((drawn_at IS NULL) = (draw_seed IS NULL))
);

CREATE TABLE queue_entries (
    product_id           uuid        NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    shopper_id           uuid        NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    joined_at            timestamptz NOT NULL DEFAULT now(),
    position             integer     CHECK (position > 0),
    state                text        NOT NULL DEFAULT 'WAITING'
                                     CHECK (state IN ('WAITING', 'ADMITTED', 'RESERVED', 'LAPSED', 'SOLD_OUT')),
    admitted_at          timestamptz,
    admission_expires_at timestamptz,
    ended_at             timestamptz,
    PRIMARY KEY (product_id, shopper_id),
    CONSTRAINT admitted_in_place CHECK (state IN ('WAITING', 'SOLD_OUT')
        OR (position IS NOT NULL AND admitted_at IS NOT NULL AND admission_expires_at IS NOT NULL))
);
-- No two entries of a product share a position.
CREATE UNIQUE INDEX queue_entries_by_position ON queue_entries (product_id, position) WHERE position IS NOT NULL;
-- What the keeper places next, in arrival order.
CREATE INDEX queue_entries_unplaced ON queue_entries (product_id, joined_at, shopper_id) WHERE position IS NULL;
-- Who is admitted next, and how many wait ahead of someone.
CREATE INDEX queue_entries_waiting ON queue_entries (product_id, position) WHERE state = 'WAITING';
-- Admissions open now (the pacing count, lapsing) and recent ones (the estimated wait).
CREATE INDEX queue_entries_admitted ON queue_entries (product_id, admission_expires_at) WHERE state = 'ADMITTED';
CREATE INDEX queue_entries_by_admission ON queue_entries (product_id, admitted_at) WHERE admitted_at IS NOT NULL;
ALTER TABLE queue_entries SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);

DROP FUNCTION IF EXISTS reserve_checked(uuid, uuid, integer, bigint, bigint);
