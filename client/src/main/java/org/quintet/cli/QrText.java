package org.quintet.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code as terminal text: two rows of modules per line, drawn with the Unicode half blocks,
 * inside the quiet zone of 4 modules that scanners need. Light modules are drawn and dark ones
 * left blank, so the code reads right on a terminal with a dark background, the usual one (as
 * {@code qrencode -t UTF8} draws it).
 */
final class QrText {
  /** The quiet zone around the code, in modules (ISO/IEC 18004). */
  static final int QUIET_ZONE = 4;

  private QrText() {}

  static String render(String text) {
    BitMatrix modules;
    try {
      // Size 0: one pixel per module. Error correction M copes with a photographed screen.
      modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
    } catch (WriterException e) {
      throw new IllegalArgumentException("the text does not fit a QR code", e);
    }
    StringBuilder out = new StringBuilder();
    for (int y = 0; y < modules.getHeight(); y += 2) {
      for (int x = 0; x < modules.getWidth(); x++) {
        boolean top = !modules.get(x, y);
        boolean bottom = y + 1 < modules.getHeight() && !modules.get(x, y + 1);
        out.append(top ? bottom ? '█' : '▀' : bottom ? '▄' : ' ');
      }
      out.append('\n');
    }
    return out.toString();
  }
}
