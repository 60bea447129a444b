package coop.relay.discord.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * One REST route of Discord's HTTP API, as data: the method and the path template. Its
 * {@linkplain #key rate-limit key} keeps the major parameter (the channel, guild or webhook id), as
 * Discord counts limits per route and major parameter, and never a webhook token.
 *
 * @param method the HTTP method
 * @param template the path below the API base, with {@code {name}} placeholders
 */
record Route(String method, String template) {
  static final Route GATEWAY_BOT = new Route("GET", "/gateway/bot");
  static final Route CURRENT_USER = new Route("GET", "/users/@me");
  static final Route GET_CHANNEL = new Route("GET", "/channels/{channel_id}");
  static final Route CREATE_MESSAGE = new Route("POST", "/channels/{channel_id}/messages");
  static final Route GET_MESSAGE = new Route("GET", "/channels/{channel_id}/messages/{message_id}");
  static final Route EDIT_MESSAGE = new Route("PATCH", "/channels/{channel_id}/messages/{message_id}");
  static final Route DELETE_MESSAGE = new Route("DELETE", "/channels/{channel_id}/messages/{message_id}");
  static final Route ADD_REACTION =
      new Route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me");
  static final Route REMOVE_REACTION =
      new Route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me");
  static final Route START_THREAD = new Route("POST", "/channels/{channel_id}/messages/{message_id}/threads");
  static final Route CHANNEL_WEBHOOKS = new Route("GET", "/channels/{channel_id}/webhooks");
  static final Route CREATE_WEBHOOK = new Route("POST", "/channels/{channel_id}/webhooks");
  static final Route EXECUTE_WEBHOOK = new Route("POST", "/webhooks/{webhook_id}/{webhook_token}");
  static final Route EDIT_WEBHOOK_MESSAGE =
      new Route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}");
  static final Route DELETE_WEBHOOK_MESSAGE =
      new Route("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}");

  Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(template, "template");
  }

  /** The placeholders of the template, in order. */
  List<String> parameters() {
    List<String> names = new ArrayList<>();
    for (String segment : template.substring(1).split("/")) {
      if (segment.startsWith("{")) {
        names.add(segment.substring(1, segment.length() - 1));
      }
    }
    return names;
  }

  /**
   * The URL of this route below {@code base} with {@code values} filled in (percent-encoded, so
   * that a Unicode emoji becomes a valid path segment).
   */
  HttpUrl url(HttpUrl base, String... values) {
    HttpUrl.Builder url = base.newBuilder();
    int next = 0;
    for (String segment : template.substring(1).split("/")) {
      if (segment.startsWith("{")) {
        url.addPathSegment(values[next++]);
      } else {
        url.addPathSegment(segment);
      }
    }
    if (next != values.length) {
      throw new IllegalArgumentException(this + " takes " + next + " values, got " + values.length);
    }
    return url.build();
  }

  /**
   * The rate-limit key: method and template with the major parameter filled in and the others
   * left as placeholders, e.g. {@code POST /channels/42/messages}. Safe to log (no token):
   * {@code values} never hold a webhook token.
   */
  String key(String... values) {
    StringBuilder key = new StringBuilder(method).append(' ');
    int next = 0;
    for (String segment : template.substring(1).split("/")) {
      key.append('/');
      if (segment.equals("{webhook_token}")) {
        key.append(segment); // values never hold the token
      } else if (segment.startsWith("{")) {
        String value = values[next++];
        boolean major = segment.equals("{channel_id}") || segment.equals("{guild_id}") || segment.equals("{webhook_id}");
        key.append(major ? value : segment);
      } else {
        key.append(segment);
      }
    }
    return key.toString();
  }

  /** The major parameter's value (the first of channel, guild or webhook id), or "" when the route has none. */
  String major(String... values) {
    int next = 0;
    for (String name : parameters()) {
      if (name.equals("webhook_token")) {
        continue;
      }
      if (name.equals("channel_id") || name.equals("guild_id") || name.equals("webhook_id")) {
        return values[next];
      }
      next++;
    }
    return "";
  }

  @Override
  public String toString() {
    return method + " " + template;
  }
}
