/** Implementation of {@code coop.relay.support}; not an API, may change without notice. */
@NullMarked
package coop.relay.support.internal;

import org.jspecify.annotations.NullMarked;
