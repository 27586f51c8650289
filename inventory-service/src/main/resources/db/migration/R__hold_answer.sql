-- The answer a reserve gave, as an Idempotency-Key's record keeps it for replays: the Hold record's fields under the
-- names the API writes, times in UTC to the microsecond. Both writers of records use it: the group commit
-- (R__reserve_batch.sql, the hold as it was right after each request) and the one-request keyed path
-- (IdempotencyRepository, the hold row right after its reserve, in the same transaction). A replay reads it back as
-- a Hold (IdempotentReserves), so the client gets the first answer again. This file is the function's one home.
CREATE OR REPLACE FUNCTION hold_answer(p_id uuid, p_product uuid, p_quantity integer, p_status text,
                                       p_price_cents bigint, p_amount_cents bigint, p_created_at timestamptz,
                                       p_expires_at timestamptz, p_latest_expires_at timestamptz,
                                       p_ended_at timestamptz)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object('id', p_id, 'productId', p_product, 'quantity', p_quantity, 'status', p_status,
        'priceCents', p_price_cents,
        'createdAt', to_char(p_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'expiresAt', to_char(p_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'latestExpiresAt', to_char(p_latest_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'endedAt', to_char(p_ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'amountCents', p_amount_cents)
$$;

COMMENT ON FUNCTION hold_answer(uuid, uuid, integer, text, bigint, bigint, timestamptz, timestamptz, timestamptz,
                                timestamptz) IS
    'A reserve''s answer as an Idempotency-Key record keeps it; defined in db/migration/R__hold_answer.sql';
