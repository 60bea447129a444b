/**
 * Local, wire-faithful emulators of the chat platforms, for tests and for the sandbox web page.
 *
 * <p>{@link coop.relay.sandbox.RelaySandbox} starts any subset of {@link coop.relay.sandbox.Emulator
 * emulators} in-process on free ports and hands out their base URLs. Every emulator, whatever its
 * platform, is driven through the same {@link coop.relay.sandbox.SandboxControl control API}: act as a
 * user (post, edit, delete, react), read a channel's history exactly as the platform stores it, inject
 * faults, and follow every change. The same API is served as HTTP+JSON under {@code /_sandbox} on
 * each emulator's own server.
 *
 * <p>Emulators are written from each platform's official spec and documentation, never from Relay's
 * connectors, so that the two can disagree when one of them is wrong.
 */
@NullMarked
package coop.relay.sandbox;

import org.jspecify.annotations.NullMarked;
