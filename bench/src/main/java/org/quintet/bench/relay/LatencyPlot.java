package org.quintet.bench.relay;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** p50 and p99 latency (log scale) against delivered envelopes per second, one colour per endpoint. */
final class LatencyPlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final int MARGIN = 70;
  private static final Color[] COLOURS = {new Color(0xC0392B), new Color(0x2471A3), new Color(0x1E8449)};

  private LatencyPlot() {}

  static void write(List<OnlineChat.Result> results, Path file) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    double maxX = results.stream().flatMap(r -> r.steps().stream()).mapToDouble(Step::deliveredPerSecond)
        .max().orElse(1) * 1.1;
    double minY = 0.1;
    double maxY = Math.max(10, results.stream().flatMap(r -> r.steps().stream()).mapToDouble(Step::p99Ms)
        .filter(Double::isFinite).max().orElse(10) * 2);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(MARGIN, MARGIN / 2, WIDTH - MARGIN * 2, HEIGHT - MARGIN * 2 + MARGIN / 2);
    g.drawString("delivered envelopes per second", WIDTH / 2 - 80, HEIGHT - 20);
    g.drawString("latency, ms (log): solid p99, dashed p50", 10, 20);
    for (int i = 0; i <= 5; i++) {
      double x = maxX * i / 5;
      g.drawString(String.format("%.0f", x), (int) xOf(x, maxX) - 15, HEIGHT - MARGIN + 18);
    }
    for (double y = minY; y <= maxY; y *= 10) {
      g.drawString(y < 1 ? String.format("%.1f", y) : String.format("%.0f", y), 20, (int) yOf(y, minY, maxY) + 4);
    }
    for (int r = 0; r < results.size(); r++) {
      OnlineChat.Result result = results.get(r);
      g.setColor(COLOURS[r % COLOURS.length]);
      g.drawString(result.endpoint(), WIDTH - MARGIN - 90, MARGIN / 2 + 20 + 16 * r);
      series(g, result.steps(), maxX, minY, maxY, true);
      series(g, result.steps(), maxX, minY, maxY, false);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void series(Graphics2D g, List<Step> steps, double maxX, double minY, double maxY, boolean p99) {
    g.setStroke(p99 ? new BasicStroke(2f)
        : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    int[] xs = new int[steps.size()];
    int[] ys = new int[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      double latency = Math.max(minY, p99 ? steps.get(i).p99Ms() : steps.get(i).p50Ms());
      xs[i] = (int) xOf(steps.get(i).deliveredPerSecond(), maxX);
      ys[i] = (int) yOf(Double.isFinite(latency) ? latency : minY, minY, maxY);
      g.fillOval(xs[i] - 3, ys[i] - 3, 6, 6);
    }
    g.drawPolyline(xs, ys, steps.size());
  }

  private static double xOf(double x, double maxX) {
    return MARGIN + x / maxX * (WIDTH - MARGIN * 2);
  }

  private static double yOf(double y, double minY, double maxY) {
    double top = MARGIN / 2.0;
    double bottom = HEIGHT - MARGIN;
    return bottom - (Math.log(y / minY) / Math.log(maxY / minY)) * (bottom - top);
  }
}
