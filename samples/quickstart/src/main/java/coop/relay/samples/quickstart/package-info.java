/** The quickstart: Relay linking three in-memory chat platforms, narrated. */
@NullMarked
package coop.relay.samples.quickstart;

import org.jspecify.annotations.NullMarked;
