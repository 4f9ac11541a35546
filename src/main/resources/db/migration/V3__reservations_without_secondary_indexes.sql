-- reservations holds only requests in flight, and those settled whose usage record is still being
-- written: a few rows per open request, each inserted, updated once and deleted, all by its
-- primary key. The database updates every index of a row on each of those writes (H2 rewrites
-- them all on an UPDATE), while the only readers of expires_at and instance_id are the sweep
-- (once a minute) and the start-up recovery, which scan a table this small at no cost.
DROP INDEX reservations_expiry;
DROP INDEX reservations_instance;
