-- V1 gave events a secondary index on (title, env, service, received_at_ms) for queries that no
-- version of gamewire makes: every read of events is by message id, the primary key. Each insert
-- still paid for it: about a fifth of MariaDB's CPU per events row, 3 of 16 microseconds
-- (bench/README.md, "The events table without its secondary index"). Dropping it is safe for the
-- versions before this one, which never read it; on MySQL 8 and MariaDB it is an in-place change
-- that does not copy the table. An operator whose own SQL filters events by service and time can
-- add such an index again.
DROP INDEX events_service_received ON events;
