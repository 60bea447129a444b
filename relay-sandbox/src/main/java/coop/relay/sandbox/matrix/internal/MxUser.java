package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.Author;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A local user account and its profile. Guarded by the state's lock. */
final class MxUser {
  final String id;
  final Author.Kind kind;
  /** The application service that registered it (its ghosts and its sender), or null. */
  final @Nullable String appservice;
  @Nullable String displayName;
  @Nullable String avatarUrl;
  /** What the control API was given as the picture (may be an http URL), for SandboxUser. */
  @Nullable String sandboxAvatar;
  final Set<String> devices = new LinkedHashSet<>();

  MxUser(String id, Author.Kind kind, @Nullable String appservice, @Nullable String displayName) {
    this.id = id;
    this.kind = kind;
    this.appservice = appservice;
    this.displayName = displayName;
  }

  String localpart() {
    return id.substring(1, id.indexOf(':'));
  }
}
