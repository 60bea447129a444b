package coop.relay.api.text;

import coop.relay.api.UserRef;
import java.util.Objects;

/**
 * A mention of a user. On other platforms it is translated to a mention of the same person when the
 * bridge knows them there, and to plain {@code @name} text (which pings nobody) otherwise.
 *
 * @param user the mentioned account on its own platform
 * @param displayName the name to show
 */
public record UserMention(UserRef user, String displayName) implements Node {
  /** Checks the components. */
  public UserMention {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(displayName, "displayName");
  }

  @Override
  public void appendPlainText(StringBuilder out) {
    out.append('@').append(displayName);
  }
}
