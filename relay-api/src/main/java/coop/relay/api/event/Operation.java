package coop.relay.api.event;

/** What a delivery does on the destination. */
public enum Operation {
  POST,
  EDIT,
  DELETE,
  ADD_REACTION,
  REMOVE_REACTION
}
