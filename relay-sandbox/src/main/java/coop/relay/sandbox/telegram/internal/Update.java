package coop.relay.sandbox.telegram.internal;

import tools.jackson.databind.node.ObjectNode;

/** One pending update of a bot: its id, its kind ({@code message}, ...) and the object under it. */
record Update(long id, String type, ObjectNode payload) {

  ObjectNode toJson(ObjectNode target) {
    target.put("update_id", id);
    target.set(type, payload);
    return target;
  }
}
