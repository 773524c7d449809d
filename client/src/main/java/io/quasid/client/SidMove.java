package io.quasid.client;

/** An item that a model version moved from one SID to another. */
public record SidMove(long version, String itemId, String fromSid, String toSid) {}
