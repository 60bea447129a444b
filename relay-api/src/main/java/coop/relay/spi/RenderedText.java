package coop.relay.spi;

import coop.relay.api.text.RichText;
import java.util.Objects;

/**
 * Text rendered for one platform: the markup (Telegram HTML, Discord markdown, Slack mrkdwn, Matrix
 * HTML) next to the portable text it came from, for connectors that need a plain fallback too.
 *
 * @param markup the platform markup
 * @param source the portable text
 */
public record RenderedText(String markup, RichText source) {
  /** Checks the components. */
  public RenderedText {
    Objects.requireNonNull(markup, "markup");
    Objects.requireNonNull(source, "source");
  }
}
