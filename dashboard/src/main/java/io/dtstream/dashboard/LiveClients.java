package io.dtstream.dashboard;

import io.javalin.websocket.WsContext;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browsers connected over the WebSocket. A new one gets its snapshot and is registered under
 * the same lock as the broadcasts, so it misses no window and gets none before its snapshot.
 * Sends are asynchronous; a browser that stops reading is closed after {@code maxUnsent}
 * messages pile up for it (it reconnects and gets a fresh snapshot), so it cannot make the
 * server's memory grow.
 */
final class LiveClients {
  private static final Logger LOG = LoggerFactory.getLogger(LiveClients.class);

  private final int maxUnsent;
  private final Map<WsContext, AtomicInteger> unsentByClient = new LinkedHashMap<>();

  LiveClients(int maxUnsent) {
    this.maxUnsent = maxUnsent;
  }

  synchronized void connected(WsContext client, Supplier<String> snapshot) {
    AtomicInteger unsent = new AtomicInteger();
    unsentByClient.put(client, unsent);
    send(client, unsent, snapshot.get());
  }

  synchronized void disconnected(WsContext client) {
    unsentByClient.remove(client);
  }

  synchronized void broadcast(String message) {
    Iterator<Map.Entry<WsContext, AtomicInteger>> clients = unsentByClient.entrySet().iterator();
    while (clients.hasNext()) {
      Map.Entry<WsContext, AtomicInteger> client = clients.next();
      if (!client.getKey().session.isOpen() || !send(client.getKey(), client.getValue(), message)) {
        clients.remove();
      }
    }
  }

  synchronized int count() {
    return unsentByClient.size();
  }

  /** Sends, or closes the connection of a browser too far behind; returns whether it sent. */
  private boolean send(WsContext client, AtomicInteger unsent, String message) {
    if (unsent.get() >= maxUnsent) {
      LOG.warn("closing a browser connection that stopped reading ({} messages unsent)", unsent.get());
      client.closeSession(1008, "too slow");
      return false;
    }
    unsent.incrementAndGet();
    client.session.sendText(message, Callback.from(unsent::decrementAndGet, failure -> unsent.decrementAndGet()));
    return true;
  }
}
