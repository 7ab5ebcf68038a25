package io.gamewire.ingest;

/** Buckets kept outside this instance, shared by every instance ({@link RedisKeyBuckets}). */
interface SharedKeyBuckets extends KeyBuckets, AutoCloseable {

    /** Where they are kept, for messages ({@code host:port}). */
    String address();

    @Override
    void close();
}
