package coop.relay.sandbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A channel, chat, room or conversation of an emulated platform.
 *
 * @param id the platform's id (Telegram {@code -1001234567890}, Discord snowflake, Slack {@code
 *     C0123456789}, Matrix {@code !room:sandbox.local})
 * @param name the title people see
 * @param type the platform's own kind of channel, as listed by each emulator (Telegram: {@code
 *     group}, {@code supergroup}, {@code forum}, {@code channel})
 * @param replacedBy the id of the channel that replaced this one, when the platform moved it (a
 *     Telegram group upgraded to a supergroup), else {@code null}
 */
public record SandboxChannel(String id, String name, String type, @Nullable String replacedBy) {

  /** @throws NullPointerException if id, name or type is null */
  public SandboxChannel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
