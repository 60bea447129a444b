/** The machinery behind the in-memory platform and connector; not API, may change at any time. */
@NullMarked
package coop.relay.testkit.internal;

import org.jspecify.annotations.NullMarked;
