-- One row per event, keyed by its message id so that redelivery is a no-op.
-- Times are Unix milliseconds in BIGINT columns: no time-zone conversion on MySQL or H2.
-- Only types and syntax common to MySQL/MariaDB and H2 in MySQL mode.
CREATE TABLE events (
    message_id     CHAR(36)     NOT NULL,
    routing_key    VARCHAR(131) NOT NULL,
    title          VARCHAR(32)  NOT NULL,
    env            VARCHAR(32)  NOT NULL,
    service        VARCHAR(32)  NOT NULL,
    command        VARCHAR(32)  NOT NULL,
    content_type   VARCHAR(100) NOT NULL,
    payload        MEDIUMBLOB   NOT NULL,
    event_time_ms  BIGINT       NOT NULL,
    received_at_ms BIGINT       NOT NULL,
    stored_at_ms   BIGINT       NOT NULL,
    PRIMARY KEY (message_id)
);

CREATE INDEX events_service_received ON events (title, env, service, received_at_ms);
