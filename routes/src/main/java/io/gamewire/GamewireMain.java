package io.gamewire;

import io.gamewire.cli.Application;
import io.gamewire.cli.GamewireCommand;
import io.gamewire.config.Settings;
import java.nio.file.Path;
import java.util.Map;

/** {@code java -jar gamewire.jar}: the command line ({@link GamewireCommand}) on {@link GamewireApplication}. */
public final class GamewireMain implements Application {

    private GamewireMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; the exit status. Public for the end-to-end tests of the commands. */
    public static int run(String[] args) {
        return GamewireCommand.execute(args, System.getenv(), new GamewireMain(), System.out, System.err);
    }

    @Override
    public int run(Path configDir, String profile, Map<String, String> overrides) throws Exception {
        return new GamewireApplication(configDir, profile, overrides).run();
    }

    @Override
    public Settings settings(Path configDir, String profile, Map<String, String> overrides) {
        return GamewireApplication.settings(configDir, profile, overrides);
    }
}
