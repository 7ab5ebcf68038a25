package io.gamewire.testsupport;

import java.util.List;

/**
 * The two sets of storage gamewire runs on. Every storage contract test ({@link StackTest}) runs
 * once on each stack this build has: the embedded one always, the real services as well when the
 * {@code services} Maven profile is active.
 */
public enum Stack {

    /** H2 in MySQL mode, MVStore and Caffeine, in the test's own folder: every build. */
    EMBEDDED("embedded stack: H2, MVStore, Caffeine"),

    /** MySQL/MariaDB, Redis and memcached of {@link RealServices}: only with {@code -Pservices}. */
    SERVICES("services stack: MySQL/MariaDB, Redis, memcached");

    /**
     * The system property that names the build's stack: {@code embedded} by default, {@code services}
     * in the {@code services} profile of the parent pom, the same profile that stops excluding the
     * {@code services} tag.
     */
    public static final String PROPERTY = "gamewire.test.stack";

    private final String displayName;

    Stack(String displayName) {
        this.displayName = displayName;
    }

    /** What a test run on this stack shows after its name. */
    public String displayName() {
        return displayName;
    }

    /** The stacks the storage contracts run on in this build, the embedded one first. */
    public static List<Stack> inThisBuild() {
        return "services".equals(System.getProperty(PROPERTY, "embedded")) ? List.of(EMBEDDED, SERVICES)
                : List.of(EMBEDDED);
    }
}
