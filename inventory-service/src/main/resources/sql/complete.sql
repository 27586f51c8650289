-- Complete: the shopper pays for one hold, as an order of one (complete_hold, db/migration/R__complete_hold.sql,
-- through place_order, the one home of completing holds): only an ACTIVE hold that has not expired yet (by the
-- database clock), at most once. The units stay taken (sold); the shopper pays the hold's amount_cents. Any outcome
-- but CREATED changed nothing, and the hold it answers with says why (a hold paid already answers as it is).
-- $1 hold id, $2 shopper id. HoldRepository runs this file.
SELECT * FROM complete_hold($1, $2)
