package io.gamewire.cli;

import io.gamewire.capacity.Backtest;
import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.SyntheticTrace;
import io.gamewire.capacity.TraceSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gamewire capacity backtest}: the forecast on seeded synthetic traces, scored against the targets. */
@Command(name = "backtest", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        header = "Scores the forecast on seeded synthetic traces against the issue's targets, locally.",
        description = {
            "Runs the forecast on synthetic traces, here, without a running gamewire: per seed, --days at a 5 min"
                    + " step of 100 msg/s with a daily (+-40 %%, peak 20:00) and a weekly (+-20 %%) season, +1 %% a day,"
                    + " 5 %% noise, four spikes (x1.8) and three outages of 40 min to 2 h. The first --training-days fit"
                    + " alpha, beta, gamma and choose delta; the days after are scored.",
            "Prints a row per seed: the tuned parameters, MASE against the seasonal-naive forecast (target <= 0.8),"
                    + " the share of actual points under the upper band (>= 95 %%), the recall of the injected spikes"
                    + " and outages (>= 0.9) and the false alarms per simulated day (<= 1), then PASS, or FAIL naming"
                    + " the missed targets. A missed target is reported, not an error: the exit status is 0."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  gamewire capacity backtest          seeds 1 to 5, 14 days, 7 of training",
            "  gamewire capacity backtest --seeds 3 --days 21 --training-days 14"})
final class CapacityBacktestCommand implements Callable<Integer> {

    @Option(names = "--seeds", paramLabel = "SEED", split = ",", defaultValue = "1,2,3,4,5",
            description = "the traces' seeds, comma-separated (default: ${DEFAULT-VALUE})")
    private List<Long> seeds;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "14",
            description = "days in each trace, 4 to 56 (default: ${DEFAULT-VALUE})")
    private int days;

    @Option(names = "--training-days", paramLabel = "DAYS", defaultValue = "7",
            description = "the days the fit sees, from 3 to --days minus 1 (default: ${DEFAULT-VALUE})")
    private int trainingDays;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (days < 4 || days > 56) {
            throw new ParameterException(spec.commandLine(), "--days must be 4 to 56, got " + days);
        }
        if (trainingDays < 3 || trainingDays >= days) {
            throw new ParameterException(spec.commandLine(), "--training-days must be 3 to --days minus 1 ("
                    + (days - 1) + "), got " + trainingDays);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("backtest: " + days + " days a trace, the first " + trainingDays + " for the fit, seeds " + seeds);
        CapacityText.backtests(run(seeds, days, trainingDays), new ConsoleOutput(out));
        return 0;
    }

    /** The backtest of each seed on {@link TraceSettings#defaults} with {@code days} days. */
    static List<Backtest> run(List<Long> seeds, int days, int trainingDays) {
        List<Backtest> backtests = new ArrayList<>();
        for (long seed : seeds) {
            TraceSettings d = TraceSettings.defaults(seed);
            TraceSettings settings = new TraceSettings(seed, d.step(), days, d.baseRate(), d.dailyAmplitude(),
                    d.weeklyAmplitude(), d.trendPerDay(), d.noise(), d.spikes(), d.outages(), d.quietDays(),
                    d.minLength(), d.maxLength(), d.spikeFactor());
            backtests.add(Backtest.run(SyntheticTrace.generate(settings), HoltWintersParameters.daily(settings.step()),
                    trainingDays));
        }
        return backtests;
    }
}
