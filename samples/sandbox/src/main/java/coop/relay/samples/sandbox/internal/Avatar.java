package coop.relay.samples.sandbox.internal;

/**
 * A person's picture: their initial on a colour picked from their key, as SVG, so the page needs no
 * image files and no network.
 */
final class Avatar {
  private static final String[] COLOURS = {
    "#e17076", "#7bc862", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774", "#e0a63a"
  };

  private Avatar() {}

  static String svg(String key) {
    String colour = COLOURS[Math.floorMod(key.hashCode(), COLOURS.length)];
    String initial = key.isEmpty() ? "?" : key.substring(0, 1).toUpperCase(java.util.Locale.ROOT);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"96\" viewBox=\"0 0 96 96\">"
        + "<rect width=\"96\" height=\"96\" fill=\"" + colour + "\"/>"
        + "<text x=\"48\" y=\"63\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"46\" "
        + "font-weight=\"600\" fill=\"#fff\" text-anchor=\"middle\">" + initial + "</text></svg>";
  }
}
