package coop.relay.slack.internal;

import java.util.Objects;

/** What an inbound source (Socket Mode or the Events API endpoint) reports to the connector. */
sealed interface Inbound {

  /**
   * The source receives.
   *
   * @param detail how, for the state's detail
   */
  record Up(String detail) implements Inbound {
    public Up {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The source lost its connection and retries in the background.
   *
   * @param reason why, without secrets
   */
  record Down(String reason) implements Inbound {
    public Down {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * An Events API callback arrived (and, in Socket Mode, was acknowledged).
   *
   * @param callback the callback
   */
  record Payload(Callback callback) implements Inbound {
    public Payload {
      Objects.requireNonNull(callback, "callback");
    }
  }
}
