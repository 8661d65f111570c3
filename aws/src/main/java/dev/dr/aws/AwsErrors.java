package dev.dr.aws;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The failures of the caller's identity rather than of the call: no credentials, an expired
 * session, credentials AWS does not know, access denied; and no region to call at all. The SDK reports a missing credential
 * as its whole provider chain (about a thousand characters); an operator needs one line that
 * says what was looked at and what to set. Every AWS caller of dr gets its line from here,
 * through {@link S3Errors#classify}.
 */
public final class AwsErrors {
    private AwsErrors() {}

    /** Error codes of a session whose temporary credentials have run out. */
    static final Set<String> EXPIRED = Set.of("ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");

    /** Error codes of credentials that AWS does not recognize at all (deleted key, wrong secret, typo). */
    static final Set<String> UNRECOGNIZED = Set.of("InvalidClientTokenId", "UnrecognizedClientException",
            "InvalidAccessKeyId", "SignatureDoesNotMatch", "AuthFailure", "InvalidToken");

    /** Error codes of a call the credentials may not make (S3, IAM-style JSON APIs, EC2, SNS). */
    static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "AuthorizationError", "UnauthorizedAccess");

    private static final String NO_CREDENTIALS = "Unable to load credentials from any of the providers in the chain";
    private static final String NO_REGION = "Unable to load region from any of the providers in the chain";
    /** The profile the region chain read ("No region provided in profile: default"). */
    private static final Pattern PROFILE_NAME = Pattern.compile("No region provided in profile: ([^,\\s\\]]+)");
    private static final Pattern PROFILE = Pattern.compile("ProfileCredentialsProvider\\(profileName=([^)\\s]+)\\)");
    /** What IAM's denials say: the principal, then the action ("User: arn:… is not authorized to perform: s3:GetObject"). */
    private static final Pattern NOT_AUTHORIZED = Pattern.compile(
            "(?:User|Principal)?:?\\s*(arn:[^\\s]+) is not authorized to perform:?\\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)");

    /**
     * One line for a failure of the credentials or of their permissions, or empty when
     * {@code e} failed for another reason (throttling, a missing object, the network).
     */
    public static Optional<String> identityProblem(SdkException e) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null
                    ? "" : s.awsErrorDetails().errorCode();
            String named = (code.isEmpty() ? "" : code + ", ") + "HTTP " + s.statusCode();
            if (EXPIRED.contains(code)) {
                return Optional.of(expired(named));
            }
            if (UNRECOGNIZED.contains(code)) {
                return Optional.of("AWS does not recognize the credentials in use (" + named + "): the access key,"
                        + " secret or session token is wrong or was deleted; check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"
                        + " and AWS_SESSION_TOKEN, or the profile AWS_PROFILE names");
            }
            if (DENIED.contains(code) || s.statusCode() == 403) {
                return Optional.of((code.isEmpty() ? "HTTP " + s.statusCode() : code + " (HTTP " + s.statusCode() + ")")
                        + ": access denied for the current AWS credentials" + who(s));
            }
            return Optional.empty();
        }
        if (e instanceof SdkClientException && e.getMessage() != null) {
            String m = e.getMessage();
            if (m.startsWith(NO_CREDENTIALS)) {
                return Optional.of(noCredentials(m));
            }
            if (m.startsWith(NO_REGION)) {
                Matcher p = PROFILE_NAME.matcher(m);
                return Optional.of("no AWS region found (tried AWS_REGION, the system property aws.region, profile '"
                        + (p.find() ? p.group(1) : "default") + "' in ~/.aws/config, the instance metadata): pass --region"
                        + " or set AWS_REGION");
            }
            if (m.contains("SSO") && m.toLowerCase(java.util.Locale.ROOT).contains("expired")) {
                return Optional.of(expired("SSO session"));
            }
        }
        return Optional.empty();
    }

    private static String expired(String named) {
        return "the AWS session token has expired (" + named + "): refresh it (aws sso login --profile <profile>, or new"
                + " temporary credentials from aws sts assume-role / get-session-token into AWS_SESSION_TOKEN) and run again";
    }

    /** What the default chain tried, from the SDK's own dump: the profile it read is the one the operator may not expect. */
    private static String noCredentials(String dump) {
        Matcher p = PROFILE.matcher(dump);
        String profile = p.find() ? p.group(1) : "default";
        String instance = dump.contains("IMDS credentials have been disabled") ? "instance role (metadata disabled)"
                : "instance role";
        return "no AWS credentials found (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE,"
                + " profile '" + profile + "' in ~/.aws/credentials and ~/.aws/config, container role, " + instance
                + "): set AWS_PROFILE to a configured profile (aws configure, aws sso login) or set AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY";
    }

    /** The principal and the action a denial names, when AWS's message carries them; its resource is left out. */
    private static String who(AwsServiceException s) {
        String msg = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
        if (msg == null) {
            return "";
        }
        Matcher m = NOT_AUTHORIZED.matcher(msg);
        return m.find() ? ": User: " + m.group(1) + " is not authorized to perform: " + m.group(2) : "";
    }
}
