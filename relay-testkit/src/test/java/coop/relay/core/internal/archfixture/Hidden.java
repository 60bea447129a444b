package coop.relay.core.internal.archfixture;

/** A stand-in for an internal class of relay-core, for the ArchitectureRules tests. */
public class Hidden {}
