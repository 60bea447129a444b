package coop.relay.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Removes credentials from text before it reaches a log line or an exception message: the values of
 * known {@link Secret}s wherever they occur (Telegram puts the token in the path,
 * {@code /bot<token>/getMe} becomes {@code /bot***}{@code /getMe}), and in URLs also user info and the
 * values of sensitive query parameters ({@code access_token}, {@code ticket}, ...). Immutable and
 * thread-safe.
 */
public final class Redactor {
  /** What replaces a credential. */
  public static final String MASK = "***";

  private static final Set<String> DEFAULT_QUERY_PARAMETERS = Set.of(
      "access_token", "token", "hs_token", "as_token", "key", "sig", "signature", "secret", "password",
      "ticket");
  private static final Redactor DEFAULT = new Redactor(List.of(), DEFAULT_QUERY_PARAMETERS);

  private final List<String> needles;
  private final Set<String> queryParameters;

  private Redactor(List<String> needles, Set<String> queryParameters) {
    this.needles = needles;
    this.queryParameters = queryParameters;
  }

  /** A redactor that knows no secret values but masks the default sensitive query parameters. */
  public static Redactor defaults() {
    return DEFAULT;
  }

  /** A redactor for {@code secrets} plus the default sensitive query parameters. */
  public static Redactor of(Secret... secrets) {
    Builder builder = builder();
    for (Secret secret : secrets) {
      builder.secret(secret);
    }
    return builder.build();
  }

  /** A builder starting with no secrets and the default sensitive query parameters. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code text} with every occurrence of a known secret (raw or URL-encoded) replaced by {@link #MASK}. */
  public String redact(String text) {
    String result = text;
    for (String needle : needles) {
      if (result.contains(needle)) {
        result = result.replace(needle, MASK);
      }
    }
    return result;
  }

  /**
   * {@code url} without user info, with the values of sensitive query parameters masked, and with
   * every known secret masked. Works on any URL-like string (http, https, ws, wss); never fails.
   */
  public String redactUrl(String url) {
    String result = url;
    int scheme = result.indexOf("://");
    if (scheme >= 0) {
      int authorityEnd = indexOfAny(result, scheme + 3, "/?#");
      int at = result.lastIndexOf('@', authorityEnd - 1);
      if (at > scheme) {
        result = result.substring(0, scheme + 3) + result.substring(at + 1);
      }
    }
    int query = result.indexOf('?');
    if (query >= 0) {
      int fragment = result.indexOf('#', query);
      int end = fragment < 0 ? result.length() : fragment;
      result = result.substring(0, query + 1) + redactQuery(result.substring(query + 1, end)) + result.substring(end);
    }
    return redact(result);
  }

  @Override
  public String toString() {
    return "Redactor[" + needles.size() + " secret values, query parameters " + queryParameters + "]";
  }

  private String redactQuery(String query) {
    StringBuilder out = new StringBuilder(query.length());
    for (String pair : query.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && queryParameters.contains(name.toLowerCase(Locale.ROOT))) {
        out.append(name).append('=').append(MASK);
      } else {
        out.append(pair);
      }
    }
    return out.toString();
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /** Collects secrets and query parameter names; not thread-safe. */
  public static final class Builder {
    private final Set<String> needles = new LinkedHashSet<>();
    private final Set<String> queryParameters = new LinkedHashSet<>(DEFAULT_QUERY_PARAMETERS);

    private Builder() {}

    /** Masks the value of {@code secret} wherever it appears, raw or URL-encoded. */
    public Builder secret(Secret secret) {
      Objects.requireNonNull(secret, "secret");
      String value = secret.reveal();
      needles.add(value);
      needles.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
      return this;
    }

    /** Also masks the value of the query parameter {@code name} (any case) in URLs. */
    public Builder queryParameter(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("query parameter name must not be blank");
      }
      queryParameters.add(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /** The immutable redactor. */
    public Redactor build() {
      List<String> sorted = new ArrayList<>(needles);
      // Longest first, so a secret that contains another is masked whole.
      sorted.sort(Comparator.comparingInt(String::length).reversed());
      return new Redactor(List.copyOf(sorted), Set.copyOf(queryParameters));
    }
  }
}
