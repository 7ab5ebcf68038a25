package io.gamewire.it;

/** What a fault scenario breaks for its outage and mends after it; {@link #close()} leaves nothing broken. */
interface Breakage extends AutoCloseable {

    void breakIt() throws Exception;

    void mend() throws Exception;
}
