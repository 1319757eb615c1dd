package org.quintet.client;

/**
 * A companion the primary linked: its device id and name, the version of the device list that
 * now holds it, and the history sent to it ({@code historyTexts} texts in {@code historyParts}
 * messages).
 */
public record LinkedDevice(long deviceId, String name, long listVersion, int historyTexts, int historyParts) {}
