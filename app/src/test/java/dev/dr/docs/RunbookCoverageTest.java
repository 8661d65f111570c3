package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/runbook.md maps every command of the operator runbook to dr. The runbook's code blocks
 * are kept in runbook-commands.sh; each command there must have a line of docs/runbook.md that
 * names its program with every one of its flags, and each variable it sets must be named.
 */
public class RunbookCoverageTest {

    public static final Path RUNBOOK_COMMANDS = YamlLanguageServerTest.PROJECT.resolve("app/src/test/resources/docs/runbook-commands.sh");
    static final Path MAP = YamlLanguageServerTest.PROJECT.resolve("docs/runbook.md");

    /** One command of the runbook: the program (a script's file name), its flags, the variables it sets. */
    public record Command(String text, String program, List<String> flags, List<String> variables) {}

    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=.*");
    private static final Pattern SUBSHELL = Pattern.compile("\\$\\(([a-z0-9]+)");
    private static final Pattern HEREDOC = Pattern.compile("<<'?([A-Z]+)'?");

    public static List<Command> commands(String script) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String heredocEnd = null;
        for (String line : script.lines().toList()) {
            if (heredocEnd != null) {
                if (line.strip().equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            String t = line.strip();
            if (current.isEmpty() && (t.isEmpty() || t.startsWith("#") || t.equals(")\""))) {
                continue;
            }
            Matcher h = HEREDOC.matcher(t);
            if (h.find()) {
                heredocEnd = h.group(1);
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
            } else {
                current.append(t);
                logical.add(current.toString().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        List<Command> out = new ArrayList<>();
        for (String c : logical) {
            out.add(parse(c));
        }
        return out;
    }

    static Command parse(String text) {
        List<String> words = words(text);
        List<String> variables = new ArrayList<>();
        int i = 0;
        if (words.get(0).equals("export")) {
            i++;
        }
        while (i < words.size() && ASSIGNMENT.matcher(words.get(i)).matches()) {
            Matcher m = ASSIGNMENT.matcher(words.get(i));
            m.matches();
            variables.add(m.group(1));
            i++;
        }
        Matcher sub = SUBSHELL.matcher(text);
        List<String> flags = new ArrayList<>();
        String program = null;
        if (i < words.size()) {
            program = words.get(i).substring(words.get(i).lastIndexOf('/') + 1);
            if (program.equals("set")) {
                return new Command(text, text, List.of(), variables);
            }
            for (int j = i + 1; j < words.size(); j++) {
                String w = words.get(j);
                if (w.startsWith("--") || w.startsWith("-chdir")) {
                    flags.add(w.split("=", 2)[0]);
                } else if (w.equals("-var") && j + 1 < words.size()) {
                    flags.add(words.get(++j).split("=", 2)[0]);
                }
            }
        } else if (sub.find()) {
            // NAME="$(git rev-parse HEAD)": the program is the one in the command substitution
            program = sub.group(1);
        }
        return new Command(text, program, flags, variables);
    }

    /** Words of a shell line, quotes removed (enough for the runbook's lines). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ' ') {
                if (!w.isEmpty()) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (!w.isEmpty()) {
            out.add(w.toString());
        }
        return out;
    }

    @Test
    void theCommandListIsReadAsTheRunbookWritesIt() throws IOException {
        List<Command> all = commands(Files.readString(RUNBOOK_COMMANDS, StandardCharsets.UTF_8));
        assertThat(all).hasSize(50);
        Command drill = all.stream().filter(c -> "dr_drill.sh".equals(c.program())).findFirst().orElseThrow();
        assertThat(drill.flags()).containsExactly("--backup-uri", "--image-ref", "--auto-promote", "--teardown");
        Command orchestrator = all.stream().filter(c -> "terraform".equals(c.program())).findFirst().orElseThrow();
        assertThat(orchestrator.flags()).startsWith("-chdir", "region", "expected_account_id", "enable_triggers")
                .hasSize(11);
        Command validate = all.stream().filter(c -> "dr_validate.sh".equals(c.program())).findFirst().orElseThrow();
        assertThat(validate.variables()).containsExactly("KUBECONFIG", "RUN_JOB", "NAMESPACE", "IMAGE_REF");
        assertThat(all).anyMatch(c -> "python3".equals(c.program()) && c.variables().equals(List.of("IMAGE_REF")));
        assertThat(all).noneMatch(c -> c.text().startsWith("import json") || c.text().startsWith("print("));
    }

    @Test
    void everyCommandOfTheRunbookIsMappedWithAllItsFlags() throws IOException {
        List<String> lines = Files.readString(MAP, StandardCharsets.UTF_8).lines().toList();
        String map = String.join("\n", lines);
        Set<String> seen = new LinkedHashSet<>();
        SoftAssertions soft = new SoftAssertions();
        for (Command c : commands(Files.readString(RUNBOOK_COMMANDS, StandardCharsets.UTF_8))) {
            for (String v : c.variables()) {
                if (!map.contains(v)) {
                    soft.fail("docs/runbook.md does not name %s, set by: %s", v, c.text());
                }
            }
            if (c.program() == null || !seen.add(c.program() + " " + c.flags())) {
                continue;
            }
            boolean mapped = lines.stream().anyMatch(l -> l.contains(c.program()) && c.flags().stream().allMatch(l::contains));
            if (!mapped) {
                soft.fail("docs/runbook.md has no line naming %s with all of %s, for the runbook's: %s", c.program(), c.flags(),
                        c.text());
            }
        }
        soft.assertAll();
    }
}
