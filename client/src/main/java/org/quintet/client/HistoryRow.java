package org.quintet.client;

/**
 * A text of the history with its place: {@code seq} grows along the history, so the store keeps
 * the order by it and a row is changed or removed by it.
 */
record HistoryRow(long seq, HistoryEntry entry) {}
