-- GWP allows a custom content type of up to 127 ASCII characters (binary-protocol/PROTOCOL.md,
-- "Limits"); V1 made the column 100 wide, so such an event could not be stored.
ALTER TABLE events MODIFY content_type VARCHAR(127) NOT NULL;
