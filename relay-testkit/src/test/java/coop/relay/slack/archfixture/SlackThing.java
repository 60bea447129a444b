package coop.relay.slack.archfixture;

/** A stand-in for a Slack connector class, for the ArchitectureRules tests. */
public class SlackThing {}
