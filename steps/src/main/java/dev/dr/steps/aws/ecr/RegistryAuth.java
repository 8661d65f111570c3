package dev.dr.steps.aws.ecr;

import dev.dr.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An ECR authorization token for one registry: a credential. It goes into the pull secret and
 * nowhere else; {@link #toString} names the registry and expiry only, and {@link #redact}
 * takes it out of a message that might echo it (an API error) before the message is logged.
 */
public final class RegistryAuth {
    private final String registry;
    private final String username;
    private final String password;
    private final String auth;
    private final Instant expiresAt;

    private RegistryAuth(String registry, String username, String password, String auth, Instant expiresAt) {
        this.registry = registry;
        this.username = username;
        this.password = password;
        this.auth = auth;
        this.expiresAt = expiresAt;
    }

    /**
     * From the {@code authorizationToken} ECR returns: base64 of {@code user:password} (the user
     * is {@code AWS}).
     *
     * @throws IllegalArgumentException when it is not that; the message holds none of it
     */
    static RegistryAuth of(String registry, String authorizationToken, Instant expiresAt) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationToken == null ? "" : authorizationToken.strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the authorization token ECR returned is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            throw new IllegalArgumentException("the authorization token ECR returned is not base64 of user:password");
        }
        return new RegistryAuth(registry, decoded.substring(0, colon), decoded.substring(colon + 1),
                authorizationToken.strip(), expiresAt);
    }

    /** The registry host the secret authenticates to. */
    public String registry() {
        return registry;
    }

    public String username() {
        return username;
    }

    /** When ECR says the token stops working (12 hours after it was issued). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * The {@code .dockerconfigjson} of a {@code kubernetes.io/dockerconfigjson} Secret:
     * {@code {"auths": {"<registry>": {"username", "password", "auth"}}}}.
     */
    byte[] dockerConfigJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode entry = f.objectNode();
        entry.put("username", username);
        entry.put("password", password);
        entry.put("auth", auth);
        ObjectNode auths = f.objectNode();
        auths.set(registry, entry);
        ObjectNode root = f.objectNode();
        root.set("auths", auths);
        return JsonTrees.compact(root).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} with the password, the token and the password's base64 forms replaced. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : forms()) {
            out = out.replace(s, "(redacted)");
        }
        return out;
    }

    /**
     * The password, the token, and the password as it shows inside any base64 text (at each of
     * the three offsets a base64 encoder can meet it, without the edge characters that depend on
     * its neighbours). Longest first, so that a form inside another is replaced after it.
     */
    private List<String> forms() {
        List<String> out = new ArrayList<>(List.of(auth, password));
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            byte[] padded = new byte[shift + pw.length];
            System.arraycopy(pw, 0, padded, shift, pw.length);
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(padded);
            int from = shift == 0 ? 0 : (shift * 8 + 5) / 6;
            int to = ((shift + pw.length) * 8) / 6;
            if (to - from >= 8) {
                out.add(b64.substring(from, to));
            }
        }
        out.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return out;
    }

    @Override
    public String toString() {
        return "RegistryAuth[" + registry + ", expires " + expiresAt + ", token redacted]";
    }
}
