package coop.relay.api.text;

/** The inline styles a {@link Styled} span can carry. */
public enum Style {
  /** Bold. */
  BOLD,
  /** Italic. */
  ITALIC,
  /** Struck through. */
  STRIKE,
  /** Underlined. */
  UNDERLINE,
  /** Hidden until the reader reveals it; platforms without spoilers show it plainly. */
  SPOILER
}
