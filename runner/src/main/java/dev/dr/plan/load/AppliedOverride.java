package dev.dr.plan.load;

/** One command-line value that replaced a plan value, for the plan-diff. */
public record AppliedOverride(String flag, String path, String value) {}
