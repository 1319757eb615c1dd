package org.quintet.relay;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * JSON logs through logback, apart from {@link LogFormat} so that reading the settings never
 * loads logback (a relay embedded in another program may log through something else).
 */
final class JsonLogs {
  private JsonLogs() {}

  /**
   * Makes every appender of the root logger write this format. Logback configures itself from
   * {@code logback.xml} before the relay has read its settings, so JSON replaces the encoders then:
   * the appenders keep where they write (the console, or a file an operator's own configuration
   * names).
   */
  static void install() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      throw new IllegalStateException("JSON logs need logback, and the logging is " + factory.getClass().getName());
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
      if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        appender.stop();
        appender.setEncoder(jsonEncoder(context));
        appender.start();
      }
    }
  }

  /** Time (ms since the epoch), level, thread, logger, the formatted message and any exception. */
  private static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMarkers(false);
    encoder.setWithMDC(false);
    encoder.setWithKVPList(false);
    // The message as written, not its pattern and arguments apart: one field a person can read.
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
