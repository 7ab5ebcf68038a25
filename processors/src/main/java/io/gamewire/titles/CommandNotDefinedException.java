package io.gamewire.titles;

/**
 * An event's command is defined by no title in force, whose file is loaded as written: the command
 * was removed (or never existed), so the event cannot be stored with its sinks. It is retried
 * with back-off (a newer title file may reach this instance meanwhile), then dead-lettered with
 * this message, which names the routing key and the title file, and can be replayed once a title
 * defines the command again.
 */
public class CommandNotDefinedException extends IllegalArgumentException {

    public CommandNotDefinedException(String message) {
        super(message);
    }
}
