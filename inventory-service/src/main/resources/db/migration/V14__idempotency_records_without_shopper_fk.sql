-- An Idempotency-Key's record is written only together with what it answers: by reserve_batch in the statement that
-- writes the hold, or by the one-request keyed path in the transaction that writes it; either way holds' own foreign
-- key has already checked the shopper. The records' own key to shoppers checked it again, with a lookup (and a row
-- lock) per record, inside the group commit's hold on the product's stock: measured on one batch of 32 keyed
-- reserves, about a quarter of what the keys cost the statement (README "Idempotency-Key"). Shoppers are never
-- deleted (the demo reset truncates the records with them), and records go after flashsale.idempotency.retention.
ALTER TABLE idempotency_records DROP CONSTRAINT idempotency_records_shopper_id_fkey;
