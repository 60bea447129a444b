package okhttp3;

/** A stand-in for an OkHttp type (OkHttp is not on this module's classpath), for the ArchitectureRules tests. */
public class FakeCall {}
