package io.quasid.bench.quality;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Minimal PNG charts drawn with java.awt in headless mode, so the report needs no plotting tool.
 */
public final class Charts {

  /** One named polyline. */
  public record Series(String name, double[] x, double[] y) {}

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;
  private static final int LEFT = 80;
  private static final int RIGHT = 270;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  private Charts() {}

  /** Line chart with linear axes; {@code logY} plots log10 of positive values. */
  public static void lineChart(
      Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logY)
      throws IOException {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, title);
    double xMin = Double.MAX_VALUE,
        xMax = -Double.MAX_VALUE,
        yMin = Double.MAX_VALUE,
        yMax = -Double.MAX_VALUE;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        double y = transform(s.y()[i], logY);
        if (!Double.isFinite(y)) {
          continue;
        }
        xMin = Math.min(xMin, s.x()[i]);
        xMax = Math.max(xMax, s.x()[i]);
        yMin = Math.min(yMin, y);
        yMax = Math.max(yMax, y);
      }
    }
    if (xMin > xMax) {
      xMin = 0;
      xMax = 1;
      yMin = 0;
      yMax = 1;
    }
    if (xMax == xMin) {
      xMax = xMin + 1;
    }
    if (yMax == yMin) {
      yMax = yMin + 1;
    }
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    axes(g, xMin, xMax, yMin, yMax, xLabel, logY ? "log10 " + yLabel : yLabel);
    for (int si = 0; si < series.size(); si++) {
      Series s = series.get(si);
      g.setColor(PALETTE[si % PALETTE.length]);
      g.setStroke(new BasicStroke(1.6f));
      int prevX = -1, prevY = -1;
      for (int i = 0; i < s.x().length; i++) {
        double y = transform(s.y()[i], logY);
        if (!Double.isFinite(y)) {
          prevX = -1;
          continue;
        }
        int px = LEFT + (int) Math.round((s.x()[i] - xMin) / (xMax - xMin) * plotW);
        int py = TOP + plotH - (int) Math.round((y - yMin) / (yMax - yMin) * plotH);
        if (prevX >= 0) {
          g.drawLine(prevX, prevY, px, py);
        } else if (s.x().length < 50) {
          g.fillOval(px - 2, py - 2, 5, 5);
        }
        prevX = px;
        prevY = py;
      }
      g.fillRect(WIDTH - RIGHT + 15, TOP + 10 + si * 20, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), WIDTH - RIGHT + 35, TOP + 20 + si * 20);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  /**
   * Grid of bar panels: one row per tokenizer, one column per level, bars = code usage counts
   * sorted in decreasing order (a flat profile means the level is used evenly).
   */
  public static void usageGrid(Path file, String title, List<String> rows, List<int[][]> counts)
      throws IOException {
    int levels = counts.stream().mapToInt(c -> c.length).max().orElse(1);
    int panelW = 230, panelH = 90, labelW = 230;
    int w = labelW + levels * (panelW + 10) + 10;
    int h = TOP + rows.size() * (panelH + 12) + 30;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, title);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int l = 0; l < levels; l++) {
      g.setColor(Color.BLACK);
      g.drawString(
          "level " + (l + 1) + " (codes sorted by usage)", labelW + l * (panelW + 10), TOP + 2);
    }
    for (int r = 0; r < rows.size(); r++) {
      int y0 = TOP + 10 + r * (panelH + 12);
      g.setColor(Color.BLACK);
      g.drawString(rows.get(r), 8, y0 + panelH / 2);
      for (int l = 0; l < counts.get(r).length; l++) {
        int[] sorted = counts.get(r)[l].clone();
        Arrays.sort(sorted);
        int max = Math.max(1, sorted[sorted.length - 1]);
        int used = (int) Arrays.stream(sorted).filter(c -> c > 0).count();
        int x0 = labelW + l * (panelW + 10);
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(x0, y0, panelW, panelH);
        g.setColor(PALETTE[l % PALETTE.length]);
        double barW = (double) panelW / sorted.length;
        for (int k = 0; k < sorted.length; k++) {
          int c = sorted[sorted.length - 1 - k];
          int bh = (int) Math.round((double) c / max * (panelH - 14));
          g.fillRect(
              x0 + (int) (k * barW), y0 + panelH - bh, Math.max(1, (int) Math.ceil(barW)), bh);
        }
        g.setColor(Color.BLACK);
        g.drawString("max " + max + ", used " + used + "/" + sorted.length, x0 + 4, y0 + 11);
      }
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static Graphics2D canvas(BufferedImage img, String title) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return g;
  }

  private static void axes(
      Graphics2D g,
      double xMin,
      double xMax,
      double yMin,
      double yMax,
      String xLabel,
      String yLabel) {
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    g.setColor(Color.GRAY);
    g.drawRect(LEFT, TOP, plotW, plotH);
    for (int i = 0; i <= 5; i++) {
      int px = LEFT + i * plotW / 5;
      int py = TOP + plotH - i * plotH / 5;
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(px, TOP, px, TOP + plotH);
      g.drawLine(LEFT, py, LEFT + plotW, py);
      g.setColor(Color.BLACK);
      g.drawString(format(xMin + i * (xMax - xMin) / 5), px - 15, TOP + plotH + 16);
      g.drawString(format(yMin + i * (yMax - yMin) / 5), 8, py + 4);
    }
    g.drawString(xLabel, LEFT + plotW / 2 - 30, HEIGHT - 12);
    g.drawString(yLabel, 8, TOP - 8);
  }

  private static double transform(double y, boolean log) {
    return log ? (y > 0 ? Math.log10(y) : Double.NaN) : y;
  }

  private static String format(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 0.01 || a >= 100_000)) {
      return String.format("%.1e", v);
    }
    if (v == Math.rint(v) || a >= 100) {
      return String.format("%.0f", v);
    }
    return String.format("%.3f", v);
  }
}
