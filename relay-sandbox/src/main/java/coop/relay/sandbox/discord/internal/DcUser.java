package coop.relay.sandbox.discord.internal;

import org.jspecify.annotations.Nullable;

/**
 * A Discord account: a person created through the control API or a bot of the emulated
 * application. {@code avatarHash} stands for the picture as Discord's CDN names it; the emulator
 * serves {@code /avatars/<id>/<hash>.png} as a redirect to {@code avatarUrl}.
 */
record DcUser(
    long id,
    String username,
    @Nullable String globalName,
    String discriminator,
    @Nullable String avatarUrl,
    @Nullable String avatarHash,
    boolean bot) {

  String shownName() {
    return globalName != null ? globalName : username;
  }
}
