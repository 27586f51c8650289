-- Fails the statement that calls it with 40001 (serialization_failure): the group commit's statement
-- (R__reserve_batch.sql) calls it when a key it read as new was claimed by another transaction before its own insert.
-- Nothing of that statement then happens; the caller runs its reserves again one by one, each on the path that
-- claims its key first (and so replays the other's answer). This file is the function's one home.
CREATE OR REPLACE FUNCTION idempotency_key_answered(p_shopper uuid, p_key text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'Idempotency-Key % of shopper % was claimed by another request meanwhile', p_key, p_shopper
        USING ERRCODE = '40001';
END
$$;

COMMENT ON FUNCTION idempotency_key_answered(uuid, text) IS
    'Fails a batch whose key another request claimed meanwhile; defined in R__idempotency_key_answered.sql';
