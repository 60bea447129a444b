package coop.relay.core.internal;

import coop.relay.api.Capabilities;
import coop.relay.api.Interceptor;
import coop.relay.api.Message;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The configured interceptors, the name template last, run once per message and destination connector. */
final class InterceptorChain {
  private final Interceptor[] interceptors;

  InterceptorChain(List<Interceptor> userInterceptors, NameTemplate nameTemplate) {
    List<Interceptor> all = new ArrayList<>(userInterceptors);
    if (!nameTemplate.isEmpty()) {
      all.add(nameTemplate);
    }
    this.interceptors = all.toArray(new Interceptor[0]);
  }

  /** The message to deliver to {@code destination}, or {@code null} when an interceptor dropped it. */
  @Nullable Message apply(Message message, String sourcePlatform, ConnectorHandle destination) {
    if (interceptors.length == 0) {
      return message;
    }
    return new Step(0, message, sourcePlatform, destination).proceed(message);
  }

  private final class Step implements Interceptor.Chain {
    private final int index;
    private final Message message;
    private final String sourcePlatform;
    private final ConnectorHandle destination;

    Step(int index, Message message, String sourcePlatform, ConnectorHandle destination) {
      this.index = index;
      this.message = message;
      this.sourcePlatform = sourcePlatform;
      this.destination = destination;
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public String sourcePlatform() {
      return sourcePlatform;
    }

    @Override
    public String destinationConnectorId() {
      return destination.id;
    }

    @Override
    public String destinationPlatform() {
      return destination.platform;
    }

    @Override
    public Capabilities destinationCapabilities() {
      return destination.capabilities;
    }

    @Override
    public @Nullable Message proceed(Message next) {
      if (index >= interceptors.length) {
        return next;
      }
      return interceptors[index].intercept(new Step(index + 1, next, sourcePlatform, destination));
    }
  }
}
