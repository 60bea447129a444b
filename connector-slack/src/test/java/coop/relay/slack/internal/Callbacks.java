package coop.relay.slack.internal;

import coop.relay.support.Json;

/** Events API callbacks as Slack sends them, for tests. */
final class Callbacks {
  private Callbacks() {}

  static String message(String eventId, String channel, String user, String ts, String text) {
    return callback(eventId, "{\"type\":\"message\",\"channel\":\"" + channel + "\",\"user\":\"" + user + "\",\"text\":"
        + quote(text) + ",\"ts\":\"" + ts + "\",\"event_ts\":\"" + ts + "\",\"channel_type\":\"channel\"}");
  }

  static String fileShare(String eventId, String channel, String user, String ts, String fileId, String downloadUrl) {
    return callback(eventId, "{\"type\":\"message\",\"subtype\":\"file_share\",\"channel\":\"" + channel
        + "\",\"user\":\"" + user + "\",\"text\":\"a file\",\"ts\":\"" + ts + "\",\"files\":[{\"id\":\"" + fileId
        + "\",\"name\":\"photo.png\",\"mimetype\":\"image/png\",\"size\":10,\"url_private_download\":\"" + downloadUrl
        + "\",\"permalink\":\"https://fake.slack.com/files/" + fileId + "\"}]}");
  }

  static String botPost(String eventId, String channel, String ts, String text, String origin) {
    return callback(eventId, "{\"type\":\"message\",\"subtype\":\"bot_message\",\"channel\":\"" + channel
        + "\",\"bot_id\":\"BOTHER\",\"username\":\"someone\",\"text\":" + quote(text) + ",\"ts\":\"" + ts
        + "\",\"metadata\":{\"event_type\":\"relay_copy\",\"event_payload\":{\"origin\":\"" + origin + "\"}}}");
  }

  static String reaction(String eventId, boolean added, String channel, String user, String ts, String name,
      String eventTs) {
    return callback(eventId, "{\"type\":\"" + (added ? "reaction_added" : "reaction_removed") + "\",\"user\":\"" + user
        + "\",\"reaction\":\"" + name + "\",\"item\":{\"type\":\"message\",\"channel\":\"" + channel + "\",\"ts\":\""
        + ts + "\"},\"event_ts\":\"" + eventTs + "\"}");
  }

  static String callback(String eventId, String event) {
    return "{\"token\":\"x\",\"team_id\":\"T1\",\"api_app_id\":\"" + FakeSlack.APP_ID + "\",\"type\":\"event_callback\","
        + "\"event_id\":\"" + eventId + "\",\"event_time\":1700000000,\"event\":" + event + "}";
  }

  static String quote(String text) {
    return Json.mapper().writeValueAsString(text);
  }
}
