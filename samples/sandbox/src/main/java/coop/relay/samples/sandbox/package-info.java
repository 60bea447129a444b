/**
 * The sandbox app: the four platform emulators, a Relay bridging one room on each, and a web page to
 * watch and type. {@link coop.relay.samples.sandbox.SandboxMain} is the README's run command;
 * {@link coop.relay.samples.sandbox.SandboxApp} is the same app as a library, for tests.
 */
@NullMarked
package coop.relay.samples.sandbox;

import org.jspecify.annotations.NullMarked;
