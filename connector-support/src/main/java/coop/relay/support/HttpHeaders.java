package coop.relay.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Immutable HTTP headers with case-insensitive names, as received or to be sent. Names are kept in
 * lower case; values keep their order.
 *
 * <p>{@link #toString()} lists only the names: header values often carry credentials
 * ({@code Authorization}, {@code X-Telegram-Bot-Api-Secret-Token}) and must not reach a log.
 */
public final class HttpHeaders {
  private static final HttpHeaders EMPTY = new HttpHeaders(Map.of());

  private final Map<String, List<String>> values;

  private HttpHeaders(Map<String, List<String>> values) {
    this.values = values;
  }

  /** No headers. */
  public static HttpHeaders empty() {
    return EMPTY;
  }

  /**
   * Headers from alternating names and values: {@code of("Content-Type", "text/plain", "X-A", "1")}.
   *
   * @throws IllegalArgumentException if the count is odd or a name is blank
   */
  public static HttpHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name/value pairs, got an odd count: " + namesAndValues.length);
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** Headers from a map of names to values, such as {@code com.sun.net.httpserver.Headers}. */
  public static HttpHeaders of(Map<String, ? extends List<String>> map) {
    Builder builder = builder();
    map.forEach((name, list) -> list.forEach(value -> builder.add(name, value)));
    return builder.build();
  }

  /** A builder that collects headers in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The first value of {@code name} (any case), or {@code null} when absent. */
  public @Nullable String first(String name) {
    List<String> list = values.get(lower(name));
    return list == null ? null : list.get(0);
  }

  /** Every value of {@code name} (any case), in order; empty when absent. */
  public List<String> all(String name) {
    return values.getOrDefault(lower(name), List.of());
  }

  /** Whether {@code name} (any case) is present. */
  public boolean contains(String name) {
    return values.containsKey(lower(name));
  }

  /** The lower-case names, in the order they first appeared. */
  public Set<String> names() {
    return values.keySet();
  }

  /** The headers as an unmodifiable map of lower-case names to their values. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  /** Whether there are no headers. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** A copy with {@code value} added to {@code name}, after any values it already has. */
  public HttpHeaders with(String name, String value) {
    Builder builder = builder();
    values.forEach((n, list) -> list.forEach(v -> builder.add(n, v)));
    return builder.add(name, value).build();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof HttpHeaders headers && values.equals(headers.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The header names only; values may be credentials. */
  @Override
  public String toString() {
    return "HttpHeaders" + values.keySet();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Collects headers; not thread-safe. */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds {@code value} to {@code name}.
     *
     * @throws IllegalArgumentException if the name is blank or either contains a line break
     */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value of " + name);
      if (name.isBlank()) {
        throw new IllegalArgumentException("header name must not be blank");
      }
      if (hasLineBreak(name) || hasLineBreak(value)) {
        // A line break would let a value smuggle extra headers into a response.
        throw new IllegalArgumentException("header " + name.strip() + " must not contain a line break");
      }
      values.computeIfAbsent(lower(name), n -> new ArrayList<>(1)).add(value);
      return this;
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public Builder set(String name, String value) {
      values.remove(lower(name));
      return add(name, value);
    }

    /** The immutable headers. */
    public HttpHeaders build() {
      if (values.isEmpty()) {
        return EMPTY;
      }
      Map<String, List<String>> copy = new LinkedHashMap<>();
      values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
      return new HttpHeaders(Collections.unmodifiableMap(copy));
    }

    private static boolean hasLineBreak(String s) {
      return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
  }
}
