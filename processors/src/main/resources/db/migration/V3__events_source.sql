-- Where gamewire got each event (issue 15): the gw-source attribute, http, tcp, pull, replay or
-- console; NULL for events stored before this column, or published without one (user routes).
ALTER TABLE events ADD source VARCHAR(16) NULL;
