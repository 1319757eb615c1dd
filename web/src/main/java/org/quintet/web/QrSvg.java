package org.quintet.web;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** A QR code as SVG: black modules on white, on a whole-module grid so edges stay sharp. */
final class QrSvg {
  /** The white border that the QR specification asks for, in modules. */
  static final int QUIET_ZONE = 4;
  /** Pixels per module when the SVG is shown at its own size. */
  private static final int DEFAULT_SCALE = 6;

  private QrSvg() {}

  /** Throws {@link WriterException} when {@code data} does not fit in the largest QR code. */
  static String render(String data) throws WriterException {
    Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
    // ZXing encodes bytes as ISO-8859-1 unless told; naming UTF-8 adds an ECI marker, which is
    // only worth its bytes (and the odd reader that ignores it) when the data is not ASCII.
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(data)) {
      hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
    }
    // M (15% recovery) survives a phone camera reading a screen, and keeps the code small.
    ByteMatrix matrix = Encoder.encode(data, ErrorCorrectionLevel.M, hints).getMatrix();
    int size = matrix.getWidth() + 2 * QUIET_ZONE;
    StringBuilder svg = new StringBuilder(64 * size)
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(size).append(' ').append(size)
        .append("\" width=\"").append(size * DEFAULT_SCALE).append("\" height=\"").append(size * DEFAULT_SCALE)
        .append("\" shape-rendering=\"crispEdges\">")
        .append("<rect width=\"").append(size).append("\" height=\"").append(size).append("\" fill=\"#fff\"/>")
        .append("<path fill=\"#000\" d=\"");
    // One rectangle per horizontal run of dark modules: far fewer shapes than one per module,
    // and no seams between neighbours.
    for (int y = 0; y < matrix.getHeight(); y++) {
      int x = 0;
      while (x < matrix.getWidth()) {
        if (matrix.get(x, y) != 1) {
          x++;
          continue;
        }
        int start = x;
        while (x < matrix.getWidth() && matrix.get(x, y) == 1) {
          x++;
        }
        int run = x - start;
        svg.append('M').append(start + QUIET_ZONE).append(' ').append(y + QUIET_ZONE)
            .append('h').append(run).append("v1h-").append(run).append('z');
      }
    }
    return svg.append("\"/></svg>").toString();
  }
}
