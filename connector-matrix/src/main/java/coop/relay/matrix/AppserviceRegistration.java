package coop.relay.matrix;

import coop.relay.api.InvalidConfigurationException;
import coop.relay.support.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The application-service registration the connector runs as, mirroring the registration file the
 * homeserver administrator installed: the service's {@code id}, its two tokens, the localpart of its
 * own user and the namespaces it owns. The homeserver's side of the file also has the {@code url}
 * where it reaches the service; point it at the connector's listener
 * ({@link MatrixConnector.Builder#listen}).
 *
 * <pre>{@code
 * AppserviceRegistration registration = AppserviceRegistration.builder()
 *     .id("relay")
 *     .asToken(System.getenv("MATRIX_AS_TOKEN"))
 *     .hsToken(System.getenv("MATRIX_HS_TOKEN"))
 *     .senderLocalpart("relaybot")
 *     .userNamespace("@relay_.*:example\\.org")
 *     .aliasNamespace("#relay_.*:example\\.org")
 *     .build();
 * }</pre>
 *
 * <p>Each remote person gets a ghost user {@code @<ghostPrefix><connector>.<user>:<server>}, with
 * both ids escaped into the characters a localpart allows; every ghost must fall into a user
 * namespace (checked when the connector connects). The tokens never show in {@link #toString()}.
 *
 * @param id the registration's {@code id}, used for the homeserver ping
 * @param asToken the token the connector presents to the homeserver
 * @param hsToken the token the homeserver presents to the connector
 * @param senderLocalpart the localpart of the service's own user
 * @param userNamespaces the user id regular expressions of the registration (whole ids, {@code @...:server})
 * @param aliasNamespaces the room alias regular expressions of the registration
 * @param ghostPrefix the start of every ghost's localpart, e.g. {@code relay_}
 */
public record AppserviceRegistration(
    String id,
    Secret asToken,
    Secret hsToken,
    String senderLocalpart,
    List<String> userNamespaces,
    List<String> aliasNamespaces,
    String ghostPrefix) {

  private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");

  /**
   * Checks the registration.
   *
   * @throws InvalidConfigurationException when a field is missing or malformed; the message says which
   */
  public AppserviceRegistration {
    requireText(id, "id");
    Objects.requireNonNull(asToken, "asToken");
    Objects.requireNonNull(hsToken, "hsToken");
    if (asToken.equals(hsToken)) {
      throw new InvalidConfigurationException("the registration's as_token and hs_token are equal; give each its own"
          + " random value, so that neither side can act as the other");
    }
    requireText(senderLocalpart, "senderLocalpart");
    if (!LOCALPART.matcher(senderLocalpart).matches()) {
      throw new InvalidConfigurationException("senderLocalpart " + senderLocalpart
          + " is not a Matrix localpart (lowercase a-z, 0-9 and ._=-/+)");
    }
    userNamespaces = List.copyOf(userNamespaces);
    aliasNamespaces = List.copyOf(aliasNamespaces);
    if (userNamespaces.isEmpty()) {
      throw new InvalidConfigurationException("the registration has no user namespace; add the one of the"
          + " registration file, e.g. userNamespace(\"@relay_.*:example\\\\.org\"), for the ghost users");
    }
    userNamespaces.forEach(regex -> compile(regex, "user namespace"));
    aliasNamespaces.forEach(regex -> compile(regex, "alias namespace"));
    requireText(ghostPrefix, "ghostPrefix");
    if (!LOCALPART.matcher(ghostPrefix).matches()) {
      throw new InvalidConfigurationException("ghostPrefix " + ghostPrefix
          + " is not the start of a Matrix localpart (lowercase a-z, 0-9 and ._=-/+)");
    }
  }

  /** A builder; id, both tokens, the sender localpart and a user namespace are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code userId} is in one of the user namespaces. */
  public boolean inUserNamespace(String userId) {
    for (String regex : userNamespaces) {
      if (Pattern.compile(regex).matcher(userId).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code alias} is in one of the alias namespaces. */
  public boolean inAliasNamespace(String alias) {
    for (String regex : aliasNamespaces) {
      if (Pattern.compile(regex).matcher(alias).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "AppserviceRegistration[id=" + id + ", sender=" + senderLocalpart + ", users=" + userNamespaces
        + ", aliases=" + aliasNamespaces + ", ghostPrefix=" + ghostPrefix + "]";
  }

  private static void requireText(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigurationException("the appservice registration needs " + what
          + "; copy it from the registration file");
    }
  }

  private static void compile(String regex, String what) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidConfigurationException(what + " " + regex + " is not a regular expression ("
          + e.getDescription() + "); copy it from the registration file");
    }
  }

  /**
   * The literal start of a namespace regex's localpart: {@code relay_} for {@code @relay_.*:example\.org}.
   * Empty when the regex starts with a pattern.
   */
  static String literalPrefix(String regex) {
    StringBuilder prefix = new StringBuilder();
    int i = regex.startsWith("^") ? 1 : 0;
    if (i < regex.length() && regex.charAt(i) == '@') {
      i++;
    }
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
        prefix.append(regex.charAt(++i));
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '=' || c == '/') {
        prefix.append(c);
      } else {
        break;
      }
    }
    // A quantifier after the last character applies to it, so that character is not literal.
    if (i < regex.length() && "*?{".indexOf(regex.charAt(i)) >= 0 && prefix.length() > 0) {
      prefix.setLength(prefix.length() - 1);
    }
    return prefix.toString();
  }

  /** Options of an {@link AppserviceRegistration}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable Secret asToken;
    private @Nullable Secret hsToken;
    private @Nullable String senderLocalpart;
    private final List<String> userNamespaces = new ArrayList<>();
    private final List<String> aliasNamespaces = new ArrayList<>();
    private @Nullable String ghostPrefix;

    private Builder() {}

    /** The registration's {@code id}. Required. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** The registration's {@code as_token}. Required; never logged. */
    public Builder asToken(String token) {
      this.asToken = Secret.of(token, "asToken");
      return this;
    }

    /** The registration's {@code hs_token}. Required; never logged. */
    public Builder hsToken(String token) {
      this.hsToken = Secret.of(token, "hsToken");
      return this;
    }

    /** The registration's {@code sender_localpart}. Required. */
    public Builder senderLocalpart(String localpart) {
      this.senderLocalpart = localpart;
      return this;
    }

    /** Adds a user namespace regex of the registration, e.g. {@code @relay_.*:example\.org}. At least one. */
    public Builder userNamespace(String regex) {
      userNamespaces.add(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /** Adds an alias namespace regex of the registration, e.g. {@code #relay_.*:example\.org}. */
    public Builder aliasNamespace(String regex) {
      aliasNamespaces.add(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /**
     * The start of every ghost's localpart; default the literal start of the first user namespace
     * ({@code relay_} for {@code @relay_.*:example\.org}).
     */
    public Builder ghostPrefix(String prefix) {
      this.ghostPrefix = prefix;
      return this;
    }

    /**
     * The registration.
     *
     * @throws InvalidConfigurationException when a field is missing or malformed, or no ghost prefix
     *     was given and none can be read from the first user namespace
     */
    public AppserviceRegistration build() {
      Secret as = asToken;
      Secret hs = hsToken;
      if (as == null || hs == null) {
        throw new InvalidConfigurationException("the appservice registration needs both asToken and hsToken;"
            + " copy them from the registration file");
      }
      String prefix = ghostPrefix;
      if (prefix == null && !userNamespaces.isEmpty()) {
        prefix = literalPrefix(userNamespaces.get(0));
        if (prefix.isEmpty()) {
          throw new InvalidConfigurationException("cannot tell the ghost users' prefix from the user namespace "
              + userNamespaces.get(0) + "; call ghostPrefix(\"relay_\") with a prefix the namespace matches");
        }
      }
      return new AppserviceRegistration(Objects.requireNonNullElse(id, ""), as, hs,
          Objects.requireNonNullElse(senderLocalpart, ""), userNamespaces, aliasNamespaces,
          Objects.requireNonNullElse(prefix, ""));
    }
  }
}
