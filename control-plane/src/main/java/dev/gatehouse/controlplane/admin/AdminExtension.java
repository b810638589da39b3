package dev.gatehouse.controlplane.admin;

import dev.gatehouse.controlplane.ConfigState;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Something a module above the control plane adds to its admin port: routes of its own (explain,
 * the developer portal), a section of the diag page, and facts added to the diag report.
 */
public interface AdminExtension {

  /** Adds routes; called once, before the admin server listens. */
  void addRoutes(Router router);

  /** HTML placed on the diag page above the live-updated report (e.g. a form); empty for none. */
  default String diagPageSection() {
    return "";
  }

  /**
   * Adds to the diag report of one configuration; runs on a worker thread, so it may block briefly.
   */
  default void annotate(ConfigState state, JsonObject report) {}

  /** Releases what the extension started (timers); called when the admin server closes. */
  default void close() {}
}
