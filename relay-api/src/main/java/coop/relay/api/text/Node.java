package coop.relay.api.text;

/**
 * One element of a {@link RichText}. The hierarchy is sealed so that renderers can switch over it
 * exhaustively; a renderer that compiles handles every kind of node.
 */
public sealed interface Node
    permits Text, Styled, InlineCode, CodeBlock, Link, UserMention, ChannelMention, Emoji, Quote, LineBreak {

  /** Appends the plain-text form of this node, as {@link RichText#plainText()} defines it. */
  void appendPlainText(StringBuilder out);
}
