/** Tools around the benchmarks: reading their results. */
@NullMarked
package coop.relay.benchmarks;

import org.jspecify.annotations.NullMarked;
