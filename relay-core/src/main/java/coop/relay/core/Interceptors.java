package coop.relay.core;

import coop.relay.api.Interceptor;
import coop.relay.api.Message;
import coop.relay.api.UserRef;
import coop.relay.core.internal.NameTemplate;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in interceptors. Add them with {@link RelayBuilder#interceptor}; the name template is
 * configured with {@link RelayBuilder#nameTemplate} and always runs last.
 */
public final class Interceptors {
  private Interceptors() {}

  /**
   * Drops every message written by one of {@code users}: people who asked not to be bridged.
   * Edits of their messages are dropped too, since their originals never left.
   */
  public static Interceptor optOut(Set<UserRef> users) {
    Set<UserRef> optedOut = Set.copyOf(users);
    return chain -> {
      Message message = chain.message();
      return optedOut.contains(message.author().user()) ? null : chain.proceed(message);
    };
  }

  /** Drops every message whose plain text contains a match of {@code pattern}. */
  public static Interceptor dropMatching(Pattern pattern) {
    return chain -> {
      Message message = chain.message();
      return pattern.matcher(message.text().plainText()).find() ? null : chain.proceed(message);
    };
  }

  /**
   * Puts the author's name before the text on destinations that cannot puppet; see
   * {@link RelayBuilder#nameTemplate} for the syntax. Use it when the template must run at a
   * particular place in the chain; then set {@code nameTemplate("")} on the builder.
   *
   * @throws IllegalArgumentException if the template has an unknown placeholder
   */
  public static Interceptor nameTemplate(String template, boolean noPing) {
    return NameTemplate.parse(template, noPing);
  }
}
