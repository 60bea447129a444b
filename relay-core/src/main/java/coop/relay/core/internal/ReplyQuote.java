package coop.relay.core.internal;

import coop.relay.api.Reply;
import coop.relay.api.text.Node;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import java.util.ArrayList;
import java.util.List;

/** The fallback for a reply whose target has no copy on the destination: a quote of the target. */
final class ReplyQuote {
  private ReplyQuote() {}

  static RichText prepend(Reply reply, RichText text) {
    List<Node> quoted = new ArrayList<>();
    if (reply.authorName() != null) {
      quoted.add(new Styled(Style.BOLD, List.of(new Text(reply.authorName()))));
      quoted.add(new Text(": "));
    }
    if (reply.excerpt().isEmpty()) {
      quoted.add(new Styled(Style.ITALIC, List.of(new Text("a message that was not bridged"))));
    } else {
      quoted.addAll(reply.excerpt().nodes());
    }
    List<Node> nodes = new ArrayList<>(text.nodes().size() + 1);
    nodes.add(new Quote(quoted));
    nodes.addAll(text.nodes());
    return new RichText(nodes);
  }
}
