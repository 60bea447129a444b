package coop.relay.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class RichTextPropertiesTest {

  @Property(tries = 1000)
  void howTextIsSplitIntoNodesNeverMatters(@ForAll List<String> pieces) {
    List<Node> nodes = new ArrayList<>();
    pieces.forEach(p -> nodes.add(new Text(p)));

    RichText split = new RichText(nodes);
    RichText whole = RichText.of(String.join("", pieces));

    assertThat(split).isEqualTo(whole);
    assertThat(split.plainText()).isEqualTo(String.join("", pieces));
  }

  @Property(tries = 1000)
  void normalisationIsIdempotent(@ForAll List<String> pieces) {
    List<Node> nodes = new ArrayList<>();
    pieces.forEach(p -> nodes.add(new Styled(Style.BOLD, List.of(new Text(p)))));
    RichText once = new RichText(nodes);

    assertThat(new RichText(once.nodes())).isEqualTo(once);
    assertThat(new RichText(once.nodes()).nodes()).isSameAs(once.nodes());
  }
}
