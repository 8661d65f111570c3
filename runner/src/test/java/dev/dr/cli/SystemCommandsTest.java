package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runner finds the commands of the modules on its class path, and does without those that
 * are not there: here, the runner alone with one test command and none of dr's steps.
 */
class SystemCommandsTest {

    record Run(int exit, String out, String err) {}

    static Run dr(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), Map.of(), Path.of("").toAbsolutePath(),
                false), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aModulesCommandIsFoundByItsName() {
        Run r = dr("echo-words", "found", "by", "name");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("found by name\n");
    }

    @Test
    void helpListsTheModulesCommandsBesideTheRunners() {
        Run r = dr("--help");
        assertThat(r.out() + r.err()).contains("echo-words").contains("apply").contains("approve");
    }

    @Test
    void aCommandOfAModuleThatIsNotThereIsNotACommand() {
        // without the steps module, "bundle" is no command: dr takes it for a plan, as dr FILE does
        Run r = dr("bundle", "publish");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument at index 2: 'publish'").contains("Usage: dr plan");
    }

    @Test
    void approvingAnExecutionWithoutTheOrchestratorsModuleSendsNothing() {
        Run r = dr("approve", "--execution-arn",
                "arn:aws:states:us-east-1:048622080012:execution:signalcraft-dr-orchestrator-state-machine:x",
                "--expected-account-id", "048622080012", "--approver", "alice", "--ticket", "CHG-1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no orchestrator support on dr's class path").contains("nothing sent");
    }
}
