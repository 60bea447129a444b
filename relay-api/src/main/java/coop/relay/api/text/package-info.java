/**
 * {@link coop.relay.api.text.RichText}: the portable formatting model. Every connector parses its
 * platform's markup into it and renders it back, so the core never sees platform markup.
 */
@NullMarked
package coop.relay.api.text;

import org.jspecify.annotations.NullMarked;
