package org.quintet.relay.storage;

/** A device's queue that an enqueue would take past one limit of its quota. */
public record FullQueue(String number, long deviceId, QueueQuota.Limit limit) {}
