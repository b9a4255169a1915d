-- A document registered in another grid is not refused where the one adding it cannot see the
-- first record (a refusal would tell anyone whether a number is on the registry): the second
-- record is kept and offered to the centres as a duplicate to merge. The lookup index stays.
DROP INDEX people_id_number;
