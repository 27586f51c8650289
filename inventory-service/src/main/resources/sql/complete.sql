-- Complete: the shopper pays for one hold, as an order of one (place_order, db/migration/R__place_order.sql, the one
-- home of completing holds): only an ACTIVE hold that has not expired yet (by the database clock), at most once. The
-- units stay taken (sold); the shopper pays the hold's amount_cents. Any outcome but CREATED changed nothing, and the
-- caller reads the hold to say why (a hold paid already answers as it is).
-- $1 hold id, $2 shopper id. HoldRepository runs this file.
SELECT outcome, order_id, buyer FROM place_order($2, ARRAY[$1]::uuid[], NULL, NULL)
