package org.quintet.client;

/** The account a companion joined, and the device id its primary gave it. */
public record LinkedAccount(String number, long deviceId) {}
