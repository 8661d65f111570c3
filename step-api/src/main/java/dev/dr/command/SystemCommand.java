package dev.dr.command;

/**
 * A {@code dr} subcommand that belongs to one external system (a bundle in S3, a registry's pull
 * secret), found on the class path with {@link java.util.ServiceLoader} the way steps are, so the
 * runner's command line never names the module that implements it. A provider is listed in
 * {@code META-INF/services/dev.dr.command.SystemCommand}.
 *
 * <p>The command class is a picocli {@code @Command}; dr creates it (and its subcommands) with a
 * constructor taking the {@link Context} when it has one, else with no arguments, and only when the
 * command line names it: a provider must not load the command's libraries before then.
 */
public interface SystemCommand {

    /** The subcommand's name, as the user types it: lower case, no dot or slash (those name plans). */
    String name();

    /** The picocli command class. */
    Class<?> command();
}
