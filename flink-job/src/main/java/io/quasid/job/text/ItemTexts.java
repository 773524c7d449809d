package io.quasid.job.text;

import io.quasid.schemas.ItemText;
import java.util.ArrayList;
import java.util.List;

/** The one string the encoder reads for an item: title, brand, categories and description. */
public final class ItemTexts {

  private ItemTexts() {}

  /** The parts present, in that order, separated by ". "; "" when the item has no text. */
  public static String compose(ItemText text) {
    if (text == null) {
      return "";
    }
    List<String> parts = new ArrayList<>(4);
    add(parts, text.getTitle());
    add(parts, text.getBrand());
    List<String> categories = new ArrayList<>();
    text.getCategories().forEach(c -> add(categories, c));
    if (!categories.isEmpty()) {
      parts.add(String.join(", ", categories));
    }
    add(parts, text.getDescription());
    return String.join(". ", parts);
  }

  private static void add(List<String> parts, String part) {
    if (part != null && !part.isBlank()) {
      parts.add(part.strip());
    }
  }
}
