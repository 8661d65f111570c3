package dev.dr.steps.terraform;

/**
 * One attribute an update or replacement changes, with both values as the step log shows them:
 * quoted and shortened, {@code (sensitive value)} where terraform marks the value sensitive,
 * {@code (known after apply)} where only the apply can tell.
 *
 * @param path   the attribute, with map keys joined by dots, e.g. {@code input.instance_type}
 * @param before the value now, rendered
 * @param after  the planned value, rendered
 */
public record AttributeChange(String path, String before, String after) {}
