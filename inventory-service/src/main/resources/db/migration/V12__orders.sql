-- Orders (issue 32): holds paid together, all or none (place_order, R__place_order.sql). Paying one hold makes an
-- order too, so every COMPLETED hold is the line of exactly one order (order_lines.hold_id is its key).
-- number: the short number a shopper reads on the receipt. idempotency_key / request_hash: a keyed POST /api/orders,
-- whose retry answers the same order; request_hash tells a retry from another request under the same key.
CREATE TABLE orders (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    number          bigint      GENERATED ALWAYS AS IDENTITY (START WITH 1001) UNIQUE,
    shopper_id      uuid        NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    idempotency_key text,
    request_hash    text,
    CONSTRAINT keyed_with_a_hash CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);
CREATE INDEX orders_by_shopper ON orders (shopper_id, created_at DESC, number DESC);
CREATE UNIQUE INDEX orders_by_key ON orders (shopper_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- A line is a paid hold as it was charged: its units at the price of each reserve (amount_cents), in the product's
-- currency; unit_price_cents is the hold's price per unit.
CREATE TABLE order_lines (
    hold_id          uuid    PRIMARY KEY REFERENCES holds (id) ON DELETE CASCADE,
    order_id         uuid    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       uuid    NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_cents bigint  NOT NULL CHECK (unit_price_cents >= 0),
    amount_cents     bigint  NOT NULL CHECK (amount_cents >= 0),
    currency         char(3) NOT NULL
);
CREATE INDEX order_lines_by_order ON order_lines (order_id);

-- Holds completed before orders existed become one-line orders, so the rule above holds for every row.
WITH paid AS (
    SELECT h.id AS hold_id, h.shopper_id, h.ended_at, gen_random_uuid() AS order_id
    FROM holds h WHERE h.status = 'COMPLETED'
), made AS (
    INSERT INTO orders (id, shopper_id, created_at)
    SELECT order_id, shopper_id, coalesce(ended_at, now()) FROM paid ORDER BY ended_at
)
INSERT INTO order_lines (hold_id, order_id, product_id, quantity, unit_price_cents, amount_cents, currency)
SELECT h.id, p.order_id, h.product_id, h.quantity, h.price_cents, h.amount_cents, pr.currency
FROM paid p JOIN holds h ON h.id = p.hold_id JOIN products pr ON pr.id = h.product_id;
