package dev.gatehouse.controlplane.xds;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the xDS streams: counts streams, ACKs and NACKs, and logs each NACK with the proxy's
 * error detail. A NACK changes nothing on the server: the proxy keeps its last good config and the
 * server keeps serving, so the next good snapshot repairs it.
 */
public final class XdsCallbacks implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(XdsCallbacks.class);

  private final AtomicLong openStreams = new AtomicLong();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();
  private final AtomicReference<String> lastNack = new AtomicReference<>();

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    openStreams.incrementAndGet();
    LOG.debug("xDS stream {} opened for {}", streamId, typeUrl.isEmpty() ? "ADS" : typeUrl);
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    openStreams.decrementAndGet();
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    openStreams.decrementAndGet();
    LOG.debug("xDS stream {} closed: {}", streamId, error.toString());
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    if (request.getResponseNonce().isEmpty()) {
      return; // a first request, neither ACK nor NACK
    }
    if (request.hasErrorDetail()) {
      nacks.incrementAndGet();
      String detail =
          "node "
              + request.getNode().getId()
              + " rejected "
              + request.getTypeUrl()
              + " (nonce "
              + request.getResponseNonce()
              + ", keeps version "
              + (request.getVersionInfo().isEmpty() ? "none" : request.getVersionInfo())
              + "): "
              + request.getErrorDetail().getMessage();
      lastNack.set(detail);
      LOG.warn("xDS NACK: {}", detail);
    } else {
      acks.incrementAndGet();
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    // Incremental xDS is served by the library as is; only state of the world is counted.
  }

  public long openStreams() {
    return openStreams.get();
  }

  public long acks() {
    return acks.get();
  }

  public long nacks() {
    return nacks.get();
  }

  /** The detail of the most recent NACK, or null. */
  public String lastNack() {
    return lastNack.get();
  }
}
