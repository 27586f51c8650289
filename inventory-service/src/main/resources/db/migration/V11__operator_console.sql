-- The operator's console (issue 31).
-- product_queues.paused_at: admissions of a waiting room paused by the operator since then (NULL: not paused). While
-- paused, the keeper admits nobody new (keep_queues, R__keep_queues.sql); admissions already open keep their time.
-- Pausing and the keeper both take the queue row's lock, so a pause that has answered is never overtaken by a keeper
-- run that read the queue unpaused.
ALTER TABLE product_queues ADD COLUMN paused_at timestamptz;

-- admin_audit: every change an operator made, written in the transaction of the change itself (record_admin_change,
-- R__record_admin_change.sql), so a change and its record commit or roll back together. before and after hold the
-- product's fields that the change altered (product_audit_fields, R__product_audit_fields.sql), by their API names.
-- product_id has no foreign key: the record outlives the product (the demo reset removes every product).
CREATE TABLE admin_audit (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    action     text        NOT NULL
                           CHECK (action IN ('CREATE', 'EDIT', 'RESTOCK', 'END_SALE', 'PAUSE', 'RESUME', 'RESET')),
    product_id uuid,
    before     jsonb,
    after      jsonb
);
