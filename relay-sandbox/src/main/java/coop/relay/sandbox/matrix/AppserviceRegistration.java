package coop.relay.sandbox.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * An application service's registration, as a homeserver administrator configures it (the
 * spec's registration file: {@code id}, {@code url}, {@code as_token}, {@code hs_token}, {@code
 * sender_localpart}, {@code namespaces}, {@code rate_limited}).
 *
 * <p>Tokens are secrets: {@link #toString()} leaves them out.
 *
 * @param id the unique id of the application service
 * @param url where the homeserver pushes transactions and queries, e.g. {@code
 *     http://127.0.0.1:29318}; {@code null} when the application service wants no traffic
 * @param asToken the token the application service authenticates with at the homeserver
 * @param hsToken the token the homeserver authenticates with at the application service
 * @param senderLocalpart the localpart of the application service's own user (its bot)
 * @param users the user id namespaces, in addition to the sender
 * @param aliases the room alias namespaces
 * @param rooms the room id namespaces
 * @param rateLimited whether requests of masqueraded users are rate limited (the sender never is)
 */
public record AppserviceRegistration(
    String id,
    @Nullable String url,
    String asToken,
    String hsToken,
    String senderLocalpart,
    List<Namespace> users,
    List<Namespace> aliases,
    List<Namespace> rooms,
    boolean rateLimited) {

  /**
   * One namespace of a registration.
   *
   * @param regex the regular expression a whole user id, alias or room id must match
   * @param exclusive whether only this application service may create entities in it
   */
  public record Namespace(String regex, boolean exclusive) {
    /** @throws IllegalArgumentException if {@code regex} is not a valid regular expression */
    public Namespace {
      Objects.requireNonNull(regex, "regex");
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("namespace regex " + regex + " does not compile: " + e.getDescription());
      }
    }

    /** Whether {@code value} (a user id, alias or room id) is in this namespace. */
    public boolean matches(String value) {
      return Pattern.compile(regex).matcher(value).matches();
    }
  }

  /** @throws IllegalArgumentException if a field is blank or malformed; the message says which */
  public AppserviceRegistration {
    requireText(id, "id");
    requireText(asToken, "as_token");
    requireText(hsToken, "hs_token");
    requireText(senderLocalpart, "sender_localpart");
    if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("the application service url must be an http(s) URL or null, was " + url);
    }
    if (asToken.equals(hsToken)) {
      throw new IllegalArgumentException("as_token and hs_token must differ, so that neither side can impersonate the other");
    }
    users = List.copyOf(users);
    aliases = List.copyOf(aliases);
    rooms = List.copyOf(rooms);
  }

  private static void requireText(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("an application service registration needs " + field);
    }
  }

  /** A builder; {@code id}, tokens and sender localpart are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** This registration with another {@code url} (an administrator editing the file). */
  public AppserviceRegistration withUrl(@Nullable String newUrl) {
    return new AppserviceRegistration(id, newUrl, asToken, hsToken, senderLocalpart, users, aliases, rooms, rateLimited);
  }

  @Override
  public String toString() {
    return "AppserviceRegistration[id=" + id + ", url=" + url + ", sender=" + senderLocalpart + ", users=" + users
        + ", aliases=" + aliases + ", rooms=" + rooms + ", rateLimited=" + rateLimited + "]";
  }

  /** Configures an {@link AppserviceRegistration}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String url;
    private @Nullable String asToken;
    private @Nullable String hsToken;
    private @Nullable String senderLocalpart;
    private final List<Namespace> users = new ArrayList<>();
    private final List<Namespace> aliases = new ArrayList<>();
    private final List<Namespace> rooms = new ArrayList<>();
    private boolean rateLimited = true;

    private Builder() {}

    /** The unique id of the application service. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Where the homeserver pushes to; {@code null} (the default) for no traffic. */
    public Builder url(@Nullable String url) {
      this.url = url;
      return this;
    }

    /** The token the application service presents to the homeserver. */
    public Builder asToken(String token) {
      this.asToken = token;
      return this;
    }

    /** The token the homeserver presents to the application service. */
    public Builder hsToken(String token) {
      this.hsToken = token;
      return this;
    }

    /** The localpart of the application service's own user, e.g. {@code relaybot}. */
    public Builder senderLocalpart(String localpart) {
      this.senderLocalpart = localpart;
      return this;
    }

    /** Adds a user id namespace, e.g. {@code @relay_.*:sandbox.local}. */
    public Builder userNamespace(String regex, boolean exclusive) {
      users.add(new Namespace(regex, exclusive));
      return this;
    }

    /** Adds a room alias namespace, e.g. {@code #relay_.*:sandbox.local}. */
    public Builder aliasNamespace(String regex, boolean exclusive) {
      aliases.add(new Namespace(regex, exclusive));
      return this;
    }

    /** Adds a room id namespace. */
    public Builder roomNamespace(String regex, boolean exclusive) {
      rooms.add(new Namespace(regex, exclusive));
      return this;
    }

    /** Whether masqueraded users are rate limited (default true, as when the field is absent). */
    public Builder rateLimited(boolean rateLimited) {
      this.rateLimited = rateLimited;
      return this;
    }

    /**
     * Builds the registration.
     *
     * @throws IllegalArgumentException if a required field is missing or malformed
     */
    public AppserviceRegistration build() {
      return new AppserviceRegistration(
          Objects.requireNonNullElse(id, ""), url, Objects.requireNonNullElse(asToken, ""),
          Objects.requireNonNullElse(hsToken, ""), Objects.requireNonNullElse(senderLocalpart, ""),
          users, aliases, rooms, rateLimited);
    }
  }
}
