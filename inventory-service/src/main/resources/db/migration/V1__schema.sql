-- Products: stock lives here. total_stock = available_stock + units held by ACTIVE holds + units sold (COMPLETED).
CREATE TABLE products (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    sku             text        NOT NULL UNIQUE,
    name            text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    price_cents     bigint      NOT NULL CHECK (price_cents >= 0),
    currency        char(3)     NOT NULL DEFAULT 'USD',
    image_url       text,
    total_stock     integer     NOT NULL CHECK (total_stock >= 0 AND total_stock <= 1000000000),
    available_stock integer     NOT NULL,
    -- Grows by one with every stock change, so listeners can drop an older value that arrives after a newer one.
    stock_version   bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT available_stock_within_total CHECK (available_stock >= 0 AND available_stock <= total_stock)
);

-- Anonymous shopper identities issued by the server (the token is signed, not stored).
CREATE TABLE shoppers (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE holds (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id  uuid        NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    shopper_id  uuid        NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    quantity    integer     NOT NULL CHECK (quantity > 0),
    status      text        NOT NULL DEFAULT 'ACTIVE'
                            CHECK (status IN ('ACTIVE', 'COMPLETED', 'CANCELLED', 'EXPIRED')),
    price_cents bigint      NOT NULL CHECK (price_cents >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    CONSTRAINT ended_exactly_when_not_active CHECK ((status = 'ACTIVE') = (ended_at IS NULL))
);

-- At most one ACTIVE hold per shopper and product: a second reserve merges into it.
CREATE UNIQUE INDEX holds_one_active_per_shopper_product ON holds (shopper_id, product_id) WHERE status = 'ACTIVE';
-- What the expiry worker scans: only ACTIVE holds, by due time.
CREATE INDEX holds_active_by_expiry ON holds (expires_at) WHERE status = 'ACTIVE';
-- A shopper's own list, newest first.
CREATE INDEX holds_by_shopper ON holds (shopper_id, created_at DESC, id);
-- Sold units per product (the invariant check and reports).
CREATE INDEX holds_by_product_status ON holds (product_id, status);

-- Idempotency-Key records: a successful reserve's response, replayed for the same key and body.
CREATE TABLE idempotency_records (
    shopper_id     uuid        NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    idempotency_key text       NOT NULL,
    request_hash   text        NOT NULL,
    response_status integer,
    response_body  jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shopper_id, idempotency_key)
);
CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at);

-- holds is a queue-like table: every hold is inserted, updated (merged, then ended) and leaves the partial indexes
-- above. Vacuum it early so the expiry worker's index scans do not wade through dead entries.
ALTER TABLE holds SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
                       autovacuum_vacuum_cost_delay = 0);
