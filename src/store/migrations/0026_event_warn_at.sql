-- When the stage an open event is in turns yellow: the instant its warning share of working time
-- is used (events/deadline.hpp), written with the stage's due time, so that the list's colour
-- filter, the pages and the supervision's warnings all read the same instant. Events of older
-- versions get theirs from the supervision pass.
ALTER TABLE events ADD COLUMN warn_at BIGINT;
