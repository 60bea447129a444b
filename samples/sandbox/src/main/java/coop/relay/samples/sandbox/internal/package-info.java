/** How the sandbox app is put together: one wiring unit per platform, the page server, the event monitor. */
@NullMarked
package coop.relay.samples.sandbox.internal;

import org.jspecify.annotations.NullMarked;
