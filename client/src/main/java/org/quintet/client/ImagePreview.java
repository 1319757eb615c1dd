package org.quintet.client;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What a message says of a photo before it is downloaded: its size in pixels and a small JPEG of
 * it, at most {@link ContentLimits#MAX_THUMBNAIL_BYTES} bytes (the JDK's ImageIO reads PNG, JPEG,
 * GIF and BMP). A file ImageIO cannot read has none.
 */
record ImagePreview(int width, int height, byte[] thumbnail) {
  /** The longest side of a thumbnail, in pixels: enough to recognise a photo in a chat. */
  private static final int[] SIDES = {96, 64, 48, 32};
  private static final float[] QUALITIES = {0.7f, 0.5f, 0.3f};

  static Optional<ImagePreview> of(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (image == null || image.getWidth() > ContentLimits.MAX_DIMENSION || image.getHeight() > ContentLimits.MAX_DIMENSION) {
      return Optional.empty();
    }
    for (int side : SIDES) {
      BufferedImage small = scaled(image, side);
      for (float quality : QUALITIES) {
        byte[] jpeg = jpeg(small, quality);
        if (jpeg != null && jpeg.length <= ContentLimits.MAX_THUMBNAIL_BYTES) {
          return Optional.of(new ImagePreview(image.getWidth(), image.getHeight(), jpeg));
        }
      }
    }
    return Optional.of(new ImagePreview(image.getWidth(), image.getHeight(), null));
  }

  private static BufferedImage scaled(BufferedImage image, int side) {
    double scale = Math.min(1.0, (double) side / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, java.awt.Color.WHITE, null);
    g.dispose();
    return out;
  }

  private static byte[] jpeg(BufferedImage image, float quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      return null;
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      return null;
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
