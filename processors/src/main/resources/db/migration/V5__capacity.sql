-- The usage archives on the prod stack (gamewire.capacity.archive=sql): one rrd4j database per
-- series (title.env.service or title.env.service.command), kept as pages of PAGE_BYTES so that a
-- sample writes back only the pages it changed (a database is about 1.5 MB, a sample touches a
-- few kB). capacity_archives holds each database's size and a version the writer bumps with every
-- write, which tells an instance whether the copy it has open is still current.
-- Times are Unix milliseconds in BIGINT columns, as in V1.
CREATE TABLE capacity_archives (
    series        VARCHAR(131) NOT NULL,
    size_bytes    INT          NOT NULL,
    version       BIGINT       NOT NULL,
    updated_at_ms BIGINT       NOT NULL,
    PRIMARY KEY (series)
);

CREATE TABLE capacity_archive_pages (
    series  VARCHAR(131) NOT NULL,
    page_no INT          NOT NULL,
    bytes   BLOB         NOT NULL,
    PRIMARY KEY (series, page_no)
);

-- Each instance's cumulative count of confirmed events per series (UsageCounters), upserted every
-- step; the sampler reads SUM(total) per series. Rows of instances not updated for a day are pruned.
CREATE TABLE capacity_counters (
    instance_id   VARCHAR(64)  NOT NULL,
    series        VARCHAR(131) NOT NULL,
    total         BIGINT       NOT NULL,
    updated_at_ms BIGINT       NOT NULL,
    PRIMARY KEY (instance_id, series)
);

CREATE INDEX capacity_counters_updated ON capacity_counters (updated_at_ms);
