package org.quintet.client;

/**
 * A part of the history from the primary arrived and was saved: part {@code part} of
 * {@code parts}, with {@code texts} texts, {@code added} of which this device did not hold yet.
 * {@code complete} once every part of the transfer came (in any order).
 */
public record HistoryProgress(int part, int parts, int texts, int added, boolean complete) {}
