package dev.dr.aws.sfn;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ARN of a Step Functions state machine or of one of its (standard) executions:
 * <pre>
 *   arn:aws:states:&lt;region&gt;:&lt;account&gt;:stateMachine:&lt;name&gt;
 *   arn:aws:states:&lt;region&gt;:&lt;account&gt;:execution:&lt;machine&gt;:&lt;id&gt;
 * </pre>
 * The partitions aws-cn and aws-us-gov are read as well. Version and alias ARNs
 * ({@code stateMachine:<name>:<qualifier>}) and express executions are refused: the promotion
 * gate is a {@code .waitForTaskToken} task, which only standard workflows run, and its
 * executions are listed under the unqualified machine.
 *
 * <p>Nothing is looked up: the region and account come from the text alone, so that
 * {@link #refusal} can refuse an ARN of another account or region before any call is made.
 *
 * @param execution the execution's name (its id), empty for a state machine ARN
 */
public record StatesArn(String arn, String partition, String region, String account, String machine,
                        Optional<String> execution) {

    /** What a state machine ARN looks like, for messages. */
    public static final String MACHINE_FORM = "arn:aws:states:<region>:<account>:stateMachine:<name>";
    /** What an execution ARN looks like, for messages. */
    public static final String EXECUTION_FORM = "arn:aws:states:<region>:<account>:execution:<machine>:<id>";

    private static final Pattern PARTITION = Pattern.compile("aws|aws-cn|aws-us-gov");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    /** Step Functions names: 1 to 80 characters, none of them blank, a bracket, a wildcard or a separator. */
    private static final Pattern NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/]{1,80}");

    /** A state machine ARN, or IllegalArgumentException saying what was expected. */
    public static StatesArn stateMachine(String arn) {
        String[] p = split(arn, "stateMachine", 7, MACHINE_FORM);
        check(arn, p, MACHINE_FORM);
        return new StatesArn(arn, p[1], p[3], p[4], p[6], Optional.empty());
    }

    /** A (standard) execution ARN, or IllegalArgumentException saying what was expected. */
    public static StatesArn execution(String arn) {
        String[] p = split(arn, "execution", 8, EXECUTION_FORM);
        check(arn, p, EXECUTION_FORM);
        if (!NAME.matcher(p[7]).matches()) {
            throw malformed(arn, EXECUTION_FORM, "'" + p[7] + "' is not an execution name");
        }
        return new StatesArn(arn, p[1], p[3], p[4], p[6], Optional.of(p[7]));
    }

    /** The state machine of an execution ARN (itself for a state machine ARN). */
    public String stateMachineArn() {
        return "arn:" + partition + ":states:" + region + ":" + account + ":stateMachine:" + machine;
    }

    /** The ARN of the execution {@code name} of this state machine. */
    public String executionArn(String name) {
        return "arn:" + partition + ":states:" + region + ":" + account + ":execution:" + machine + ":" + name;
    }

    /**
     * Why dr must not act on this ARN, if it must not: it names another account than
     * {@code expectedAccount}, or another region than {@code region} when that is given.
     */
    public Optional<String> refusal(String expectedAccount, Optional<String> region) {
        if (!account.equals(expectedAccount)) {
            return Optional.of(arn + " is in account " + account + ", not the expected account " + expectedAccount);
        }
        if (region.isPresent() && !this.region.equals(region.get())) {
            return Optional.of(arn + " is in region " + this.region + ", not " + region.get() + " (--region)");
        }
        return Optional.empty();
    }

    /** An AWS account id: twelve digits. */
    public static boolean isAccountId(String s) {
        return s != null && ACCOUNT.matcher(s).matches();
    }

    private static String[] split(String arn, String type, int parts, String form) {
        if (arn == null || arn.isBlank()) {
            throw new IllegalArgumentException("an ARN is required: expected " + form);
        }
        String[] p = arn.split(":", -1);
        if (p.length >= 3 && (!"arn".equals(p[0]) || !PARTITION.matcher(p[1]).matches() || !"states".equals(p[2]))) {
            throw malformed(arn, form, "not a Step Functions ARN (arn:aws:states:...)");
        }
        if (p.length >= 6 && !type.equals(p[5])) {
            throw malformed(arn, form, "resource type '" + p[5] + "' is not " + type);
        }
        if (p.length == parts + 1 && type.equals("stateMachine")) {
            throw malformed(arn, form, "a version or alias ARN; give the state machine's own");
        }
        if (p.length != parts) {
            throw malformed(arn, form, p.length + " colon-separated parts, expected " + parts);
        }
        return p;
    }

    private static void check(String arn, String[] p, String form) {
        if (!REGION.matcher(p[3]).matches()) {
            throw malformed(arn, form, "'" + p[3] + "' is not a region");
        }
        if (!ACCOUNT.matcher(p[4]).matches()) {
            throw malformed(arn, form, "'" + p[4] + "' is not an account id (12 digits)");
        }
        if (!NAME.matcher(p[6]).matches()) {
            throw malformed(arn, form, "'" + p[6] + "' is not a state machine name");
        }
    }

    private static IllegalArgumentException malformed(String arn, String form, String why) {
        return new IllegalArgumentException("'" + arn + "' is not a valid ARN (" + why + "): expected " + form);
    }
}
