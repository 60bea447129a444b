/** The routing engine's implementation; nothing here is API. */
@NullMarked
package coop.relay.core.internal;

import org.jspecify.annotations.NullMarked;
