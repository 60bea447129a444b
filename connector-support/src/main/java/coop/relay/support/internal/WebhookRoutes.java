package coop.relay.support.internal;

import coop.relay.support.WebhookHandler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Path-prefix routes, longest prefix first. A prefix matches its own path and the paths below it
 * ({@code /slack} matches {@code /slack} and {@code /slack/events}, not {@code /slackware}).
 * Thread-safe: changes replace an immutable list.
 */
public final class WebhookRoutes {
  /** A mounted handler. */
  public record Route(String prefix, WebhookHandler handler) {}

  private volatile List<Route> routes = List.of();

  /** {@code prefix} without a trailing slash, or {@code "/"}; fails when it does not start with '/'. */
  public static String normalize(String prefix) {
    if (!prefix.startsWith("/")) {
      throw new IllegalArgumentException("a route prefix starts with '/', was '" + prefix + "'");
    }
    String result = prefix;
    while (result.length() > 1 && result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  /**
   * Adds a route.
   *
   * @throws IllegalStateException when the prefix is taken
   */
  public synchronized Route add(String prefix, WebhookHandler handler) {
    String normalized = normalize(prefix);
    for (Route route : routes) {
      if (route.prefix().equals(normalized)) {
        throw new IllegalStateException("a handler is already mounted at " + normalized + "; unmount it first");
      }
    }
    Route added = new Route(normalized, handler);
    List<Route> next = new ArrayList<>(routes);
    next.add(added);
    next.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
    routes = List.copyOf(next);
    return added;
  }

  /** Removes exactly this route, if still mounted. */
  public synchronized void remove(Route route) {
    List<Route> next = new ArrayList<>(routes);
    if (next.remove(route)) {
      routes = List.copyOf(next);
    }
  }

  /** The route for {@code path}, or {@code null}. */
  public @Nullable Route find(String path) {
    for (Route route : routes) {
      String prefix = route.prefix();
      if (prefix.equals("/") || path.equals(prefix)
          || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/')) {
        return route;
      }
    }
    return null;
  }
}
