package org.quintet.web;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a QR code back from the SVG that {@link QrSvg} draws, the way a camera would: the SVG is
 * parsed as XML, its modules are painted into pixels, and ZXing's reader finds the code in them.
 */
final class QrDecoder {
  private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  private static final int PIXELS_PER_MODULE = 4;

  /** The size in modules (with the quiet zone) and the dark modules. */
  record Modules(int size, boolean[][] dark) {}

  private QrDecoder() {}

  static Modules modules(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    Element root = document.getDocumentElement();
    if (!"svg".equals(root.getLocalName()) || !"http://www.w3.org/2000/svg".equals(root.getNamespaceURI())) {
      throw new IllegalArgumentException("not an SVG document");
    }
    String[] viewBox = root.getAttribute("viewBox").split(" ");
    int size = Integer.parseInt(viewBox[2]);
    boolean[][] dark = new boolean[size][size];
    String path = ((Element) root.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0)).getAttribute("d");
    Matcher run = RUN.matcher(path);
    int end = 0;
    while (run.find()) {
      if (run.start() != end || !run.group(3).equals(run.group(4))) {
        throw new IllegalArgumentException("the path is not made of whole-module runs at " + end);
      }
      end = run.end();
      int x = Integer.parseInt(run.group(1));
      int y = Integer.parseInt(run.group(2));
      for (int i = 0; i < Integer.parseInt(run.group(3)); i++) {
        dark[y][x + i] = true;
      }
    }
    if (end != path.length()) {
      throw new IllegalArgumentException("the path is not made of whole-module runs at " + end);
    }
    return new Modules(size, dark);
  }

  static String decode(String svg) throws Exception {
    Modules modules = modules(svg);
    int pixels = modules.size() * PIXELS_PER_MODULE;
    int[] argb = new int[pixels * pixels];
    for (int y = 0; y < pixels; y++) {
      for (int x = 0; x < pixels; x++) {
        argb[y * pixels + x] = modules.dark()[y / PIXELS_PER_MODULE][x / PIXELS_PER_MODULE] ? 0xff000000 : 0xffffffff;
      }
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, pixels, argb)));
    return new QRCodeReader().decode(bitmap).getText();
  }
}
