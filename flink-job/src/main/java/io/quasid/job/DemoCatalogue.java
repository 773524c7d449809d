package io.quasid.job;

import io.quasid.job.sample.BeautyCatalog;
import io.quasid.job.sample.CatalogPublisher;
import io.quasid.job.sample.ScientificCatalog;
import io.quasid.job.sample.UserSequence;
import io.quasid.job.text.ItemTexts;
import io.quasid.job.text.SentenceEncoder;
import java.time.Instant;
import java.util.List;

/**
 * What the demo publishes: the Beauty sample's vectors, or in text mode the Scientific sample's
 * item texts (and each one's interactions).
 */
interface DemoCatalogue {

  int size();

  List<UserSequence> sequences();

  long publishItems(CatalogPublisher publisher, String topic, Instant eventTime);

  /** The vectors the initial tokenizer's codebooks are fitted on. */
  float[][] vectors();

  static DemoCatalogue beauty() {
    System.out.println("Loading the Beauty catalogue ...");
    BeautyCatalog catalog = BeautyCatalog.load();
    return new DemoCatalogue() {
      @Override
      public int size() {
        return catalog.size();
      }

      @Override
      public List<UserSequence> sequences() {
        return catalog.sequences();
      }

      @Override
      public long publishItems(CatalogPublisher publisher, String topic, Instant eventTime) {
        return publisher.publishItems(catalog, topic, eventTime);
      }

      @Override
      public float[][] vectors() {
        return catalog.itemIds().stream().map(catalog::features).toArray(float[][]::new);
      }
    };
  }

  static DemoCatalogue scientificText() {
    System.out.println("Loading the Scientific catalogue (items described by text only) ...");
    ScientificCatalog catalog = ScientificCatalog.load();
    return new DemoCatalogue() {
      @Override
      public int size() {
        return catalog.size();
      }

      @Override
      public List<UserSequence> sequences() {
        return catalog.sequences();
      }

      @Override
      public long publishItems(CatalogPublisher publisher, String topic, Instant eventTime) {
        return publisher.publishTextItems(catalog, topic, eventTime);
      }

      /**
       * The demo driver embeds the texts once itself to fit the codebooks; the job does its own.
       */
      @Override
      public float[][] vectors() {
        System.out.println("Embedding the catalogue's texts to fit the codebooks ...");
        return new SentenceEncoder()
            .embed(
                catalog.itemIds().stream().map(id -> ItemTexts.compose(catalog.text(id))).toList());
      }
    };
  }
}
