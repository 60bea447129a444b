package coop.relay.api.text;

/** A line break. Use {@link #INSTANCE}; all line breaks are equal. */
public record LineBreak() implements Node {
  /** The line break. */
  public static final LineBreak INSTANCE = new LineBreak();

  @Override
  public void appendPlainText(StringBuilder out) {
    out.append('\n');
  }
}
