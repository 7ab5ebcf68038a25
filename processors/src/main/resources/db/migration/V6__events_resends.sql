-- How often an event's message id came again (a redelivery, a client's resend): a repeated insert
-- counts it here instead of writing a row. The sinks read the stored payload back only for rows
-- that have been resent, to write every sink for the first event under an id and none for a resend
-- with another payload (a message id names one event: SinkBatchWriter).
ALTER TABLE events ADD COLUMN resends INT NOT NULL DEFAULT 0;
