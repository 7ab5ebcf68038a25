package io.gamewire.pulls;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Rate;
import io.gamewire.titles.model.PullDefinition.RateShare;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link HostBudget}s of this instance, one per publisher host (scheme, host and port) or, for
 * pulls whose {@code rate.share} is {@code credential}, per host and credential. Pulls to one budget
 * may declare different figures; the budget takes the strictest: the fewest requests in flight and
 * the lowest rate, among the pulls that ran since the start, tightening in place ({@link HostBudget#tighten}).
 */
final class HostBudgets {

    private final Clock clock;
    private final Map<String, HostBudget> budgets = new ConcurrentHashMap<>();

    HostBudgets(Clock clock) {
        this.clock = clock;
    }

    /** The budget a request of {@code pull} to {@code uri} draws on; tightened when the pull is stricter. */
    HostBudget budget(URI uri, PullDefinition pull) {
        Rate rate = pull.rate() == null ? Rate.DEFAULT : pull.rate();
        HostBudget budget = budgets.computeIfAbsent(key(uri, pull, rate), k -> new HostBudget(k, rate, clock));
        Rate now = budget.rate();
        Rate strictest = strictest(now, rate);
        if (strictest.concurrent() != now.concurrent() || strictest.requests() != now.requests()
                || !java.util.Objects.equals(strictest.per(), now.per())) {
            budget.tighten(strictest);
        }
        return budget;
    }

    /** {@code https://api.example.com:443}, then {@code #VAR} when shared per credential. */
    static String key(URI uri, PullDefinition pull, Rate rate) {
        String key = origin(uri);
        if (rate.share() == RateShare.CREDENTIAL && pull.request() != null && pull.request().auth() != null
                && pull.request().auth().envVar() != null) {
            key += "#" + pull.request().auth().envVar();
        }
        return key;
    }

    /** Scheme, host and port, lower case, the port filled in: {@code https://api.example.com:443}. */
    static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    /**
     * Fewer in flight, and the lower of the two request rates (the shorter window on a tie);
     * {@code after429} is each pull's own and taken from {@code a}.
     */
    static Rate strictest(Rate a, Rate b) {
        int concurrent = Math.min(a.concurrent(), b.concurrent());
        Rate window = a;
        if (b.requests() > 0 && (a.requests() <= 0 || perSecond(b) < perSecond(a)
                || perSecond(b) == perSecond(a) && b.per().compareTo(a.per()) < 0)) {
            window = b;
        }
        return new Rate(concurrent, window.requests(), window.per(), a.after429(), a.share());
    }

    private static double perSecond(Rate rate) {
        return rate.requests() / (double) Math.max(1, rate.per().toMillis()) * 1000.0;
    }

}
