package coop.relay.api.text;

/** The inline styles a {@link Styled} span can carry. */
public enum Style {
  BOLD,
  ITALIC,
  STRIKE,
  UNDERLINE,
  /** Hidden until the reader reveals it; platforms without spoilers show it plainly. */
  SPOILER
}
