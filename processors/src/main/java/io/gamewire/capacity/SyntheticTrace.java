package io.gamewire.capacity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded synthetic message-rate trace for the backtest and the command line: the expected rate
 * <pre>
 *   base · (1 + trendPerDay · day) · (1 + dailyAmplitude · cos(2π(hour − 20)/24)
 *                                       + weeklyAmplitude · cos(2π(day − 5.5)/7))
 * </pre>
 * (day in fractional days from Monday 00:00), times (1 + noise · N(0, 1)), never below 0; then spikes
 * multiply it by {@code spikeFactor} and outages by 0 to 5 %. Aberrations do not overlap: between two there
 * are at least as many steps as the longest aberration, and up to a day when the trace is long enough (a start
 * that lands too close is drawn again, up to a bound).
 *
 * @param settings     what was generated
 * @param rates        one rate per step
 * @param aberrations  the injected intervals, by start
 */
public record SyntheticTrace(TraceSettings settings, double[] rates, List<InjectedAberration> aberrations) {

    private static final int DRAWS = 1000;

    public static SyntheticTrace generate(TraceSettings settings) {
        Random random = new Random(settings.seed());
        int perDay = settings.stepsPerDay();
        double[] rates = new double[settings.days() * perDay];
        for (int t = 0; t < rates.length; t++) {
            double day = (double) t / perDay;
            double hour = (day % 1) * 24;
            double expected = settings.baseRate() * (1 + settings.trendPerDay() * day)
                    * (1 + settings.dailyAmplitude() * Math.cos(2 * Math.PI * (hour - 20) / 24)
                            + settings.weeklyAmplitude() * Math.cos(2 * Math.PI * (day - 5.5) / 7));
            rates[t] = Math.max(0, expected * (1 + settings.noise() * random.nextGaussian()));
        }
        List<InjectedAberration> aberrations = place(settings, random, rates.length, perDay);
        for (InjectedAberration aberration : aberrations) {
            for (int t = aberration.start(); t < aberration.end(); t++) {
                rates[t] *= aberration.kind() == InjectedAberration.Kind.SPIKE
                        ? settings.spikeFactor()
                        : 0.05 * random.nextDouble();
            }
        }
        return new SyntheticTrace(settings, rates, aberrations);
    }

    private static List<InjectedAberration> place(TraceSettings settings, Random random, int steps, int perDay) {
        int count = settings.spikes() + settings.outages();
        int first = settings.quietDays() * perDay;
        int room = steps - first - settings.maxLength();
        // aim for aberrations spread out: the spacing a trace of this length allows, at most a day
        int gap = count == 0 ? 0 : Math.min(perDay, Math.max(settings.maxLength(), room / (2 * count)));
        List<InjectedAberration> placed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            InjectedAberration.Kind kind = i < settings.spikes()
                    ? InjectedAberration.Kind.SPIKE
                    : InjectedAberration.Kind.OUTAGE;
            int length = settings.minLength() + random.nextInt(settings.maxLength() - settings.minLength() + 1);
            for (int draw = 0; draw < DRAWS; draw++) {
                InjectedAberration candidate = new InjectedAberration(kind, first + random.nextInt(room), length);
                if (placed.stream().allMatch(other -> candidate.start() >= other.end() + gap
                        || other.start() >= candidate.end() + gap)) {
                    placed.add(candidate);
                    break;
                }
            }
        }
        placed.sort(Comparator.comparingInt(InjectedAberration::start));
        if (placed.size() < count) {
            throw new IllegalArgumentException("no room for " + count + " aberrations " + gap + " steps apart in "
                    + settings.days() + " days");
        }
        return List.copyOf(placed);
    }

    public int stepsPerDay() {
        return settings.stepsPerDay();
    }
}
