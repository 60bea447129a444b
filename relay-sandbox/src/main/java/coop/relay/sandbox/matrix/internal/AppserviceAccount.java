package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.matrix.AppserviceRegistration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A registered application service at run time: its registration, its namespaces compiled, and the
 * queue of events waiting to be pushed. Guarded by the state's lock.
 */
final class AppserviceAccount {
  /** A transaction that was sent (or is being sent) and not yet acknowledged; retried as is. */
  record Transaction(String txnId, String body, int eventCount) {}

  private record Compiled(Pattern pattern, boolean exclusive) {}

  volatile AppserviceRegistration registration;
  final String senderId;
  private final List<Compiled> users;
  private final List<Compiled> aliases;
  private final List<Compiled> rooms;
  final Deque<MxEvent> pending = new ArrayDeque<>();
  @Nullable Transaction inFlight;
  long nextTxn = 1;
  int failures;
  @Nullable String lastError;

  AppserviceAccount(AppserviceRegistration registration, String serverName) {
    this.registration = registration;
    this.senderId = "@" + registration.senderLocalpart() + ":" + serverName;
    this.users = compile(registration.users());
    this.aliases = compile(registration.aliases());
    this.rooms = compile(registration.rooms());
  }

  private static List<Compiled> compile(List<AppserviceRegistration.Namespace> namespaces) {
    return namespaces.stream().map(n -> new Compiled(Pattern.compile(n.regex()), n.exclusive())).toList();
  }

  String id() {
    return registration.id();
  }

  /** Whether {@code userId} is this service's sender or in one of its user namespaces. */
  boolean ownsUser(String userId) {
    return userId.equals(senderId) || matches(users, userId, false);
  }

  boolean exclusiveUser(String userId) {
    return matches(users, userId, true);
  }

  boolean ownsAlias(String alias) {
    return matches(aliases, alias, false);
  }

  boolean exclusiveAlias(String alias) {
    return matches(aliases, alias, true);
  }

  boolean ownsRoom(String roomId) {
    return matches(rooms, roomId, false);
  }

  private static boolean matches(List<Compiled> namespaces, String value, boolean exclusiveOnly) {
    for (Compiled c : namespaces) {
      if ((!exclusiveOnly || c.exclusive()) && c.pattern().matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "AppserviceAccount[" + id() + "]";
  }
}
