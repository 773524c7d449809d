package io.quasid.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

  @TempDir Path dir;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void writesALineChart() throws IOException {
    Path file = dir.resolve("line.png");
    Charts.lineChart(
        file,
        "t",
        "x",
        "y",
        List.of(new Charts.Series("a", new double[] {0, 1, 2}, new double[] {3, 1, 0.5})),
        true);

    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img.getWidth()).isPositive();
    assertThat(img.getHeight()).isPositive();
  }

  @Test
  void writesOneUsagePanelPerLevelAndRow() throws IOException {
    Path file = dir.resolve("usage.png");
    int[][] row = {{3, 0, 1}, {1, 1, 2}};
    Charts.usageGrid(file, "t", List.of("r1", "r2"), List.<int[][]>of(row, row));

    BufferedImage img = ImageIO.read(file.toFile());
    BufferedImage single = renderSingleRow();
    assertThat(img.getHeight()).isGreaterThan(single.getHeight());
  }

  private BufferedImage renderSingleRow() throws IOException {
    Path file = dir.resolve("one.png");
    Charts.usageGrid(file, "t", List.of("r1"), List.<int[][]>of(new int[][] {{1, 2}, {2, 1}}));
    return ImageIO.read(file.toFile());
  }
}
