-- An admission is one turn (issue 26): reserve_checked gains the units a turn grants (p_turn_units, from
-- flashsale.max-per-request), so the old five-argument definition goes here and db/migration/R__reserve_checked.sql
-- defines the new one.
DROP FUNCTION IF EXISTS reserve_checked(uuid, uuid, integer, bigint, bigint);
