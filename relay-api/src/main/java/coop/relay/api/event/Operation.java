package coop.relay.api.event;

/** What a delivery does on the destination. */
public enum Operation {
  /** Posting a copy of a message. */
  POST,
  /** Editing a copy. */
  EDIT,
  /** Deleting a copy. */
  DELETE,
  /** Adding a reaction. */
  ADD_REACTION,
  /** Removing a reaction. */
  REMOVE_REACTION
}
