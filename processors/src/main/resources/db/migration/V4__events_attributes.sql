-- The envelope's attributes (gw-source, gw-replay-of, gw-received-at, a pull's gw-pull-item, a
-- client's own), as a JSON object of strings: the admin API shows them with the stored event, and a
-- replayed event is found by its gw-replay-of. NULL for events stored before this column existed.
ALTER TABLE events ADD COLUMN attributes TEXT NULL;
