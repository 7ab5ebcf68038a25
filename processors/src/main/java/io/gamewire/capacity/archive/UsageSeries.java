package io.gamewire.capacity.archive;

/**
 * Consolidated rows of one series: row {@code i} covers the {@code stepSeconds} ending at
 * {@code startEpochSecond + i * stepSeconds}; a row without data is {@code NaN}.
 */
public record UsageSeries(String series, long startEpochSecond, long stepSeconds, double[] rates, double[] consumers) {

    public int size() {
        return rates.length;
    }

    public long time(int row) {
        return startEpochSecond + row * stepSeconds;
    }
}
