-- The operator dashboard counts each queued product's lapsed admissions every second (ProductRepository's books
-- query): without an index of its own that count reads every entry of the product (100,000 in a big drop) through
-- the primary key. This partial index makes it an index-only scan of the lapsed entries alone; the keeper, which is
-- the only writer of LAPSED, adds one index entry per lapse.
CREATE INDEX queue_entries_lapsed ON queue_entries (product_id) WHERE state = 'LAPSED';
