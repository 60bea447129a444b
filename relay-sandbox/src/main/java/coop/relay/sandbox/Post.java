package coop.relay.sandbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message a user posts through {@link SandboxControl#post(Post)}.
 *
 * @param channelId where to post
 * @param userId who posts (a human user created with {@link SandboxControl#createUser(NewUser)})
 * @param text the text in the platform's own markup (see each emulator); may be empty only with an
 *     attachment
 * @param replyTo the id of the message this one answers, or {@code null}
 * @param threadId the id of the thread to post in (a Telegram forum topic, a thread root), or
 *     {@code null}
 * @param attachment a file to attach, or {@code null}
 */
public record Post(
    String channelId,
    String userId,
    String text,
    @Nullable String replyTo,
    @Nullable String threadId,
    @Nullable SandboxFile attachment) {

  /** @throws NullPointerException if channel, user or text is null */
  public Post {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(text, "text");
  }

  /** A plain post of {@code text} by {@code userId} in {@code channelId}. */
  public static Post of(String channelId, String userId, String text) {
    return new Post(channelId, userId, text, null, null, null);
  }

  /** This post as an answer to message {@code messageId}. */
  public Post withReplyTo(@Nullable String messageId) {
    return new Post(channelId, userId, text, messageId, threadId, attachment);
  }

  /** This post inside thread {@code threadId}. */
  public Post withThread(@Nullable String threadId) {
    return new Post(channelId, userId, text, replyTo, threadId, attachment);
  }

  /** This post with {@code file} attached. */
  public Post withAttachment(@Nullable SandboxFile file) {
    return new Post(channelId, userId, text, replyTo, threadId, file);
  }

  /** This post in channel {@code channelId} (the HTTP control API takes it from the path). */
  public Post inChannel(String channelId) {
    return new Post(channelId, userId, text, replyTo, threadId, attachment);
  }
}
