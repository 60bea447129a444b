package coop.relay.discord.archfixture;

/** A stand-in for a Discord connector class, for the ArchitectureRules tests. */
public class DiscordThing {}
