package coop.relay.sandbox.telegram.internal;

import org.jspecify.annotations.Nullable;

/** A Telegram account: a person created through the control API, or one of the emulated bots. */
record TgUser(
    long id, boolean bot, String firstName, @Nullable String lastName, @Nullable String username, @Nullable String avatarUrl) {

  String displayName() {
    return lastName == null ? firstName : firstName + " " + lastName;
  }
}
