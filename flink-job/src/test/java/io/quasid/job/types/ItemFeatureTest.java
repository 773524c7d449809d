package io.quasid.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * A text event's position and a rejection cross the hop after the embedding stage (and sit in its
 * checkpointed in-flight buffer): Flink's POJO serializer must keep them, without Kryo.
 */
class ItemFeatureTest {

  private static final TypeInformation<ItemFeature> TYPE = TypeInformation.of(ItemFeature.class);

  @Test
  void isAFlinkPojoWithAPojoPosition() {
    assertThat(TYPE).isInstanceOf(PojoTypeInfo.class);
    PojoTypeInfo<ItemFeature> pojo = (PojoTypeInfo<ItemFeature>) TYPE;
    assertThat(pojo.getTypeAt("source")).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void aTextEventAndARejectionSurviveTheSerializer() throws Exception {
    ItemFeature text =
        ItemFeature.text("caliper", "digital caliper", "g1", 1_000, new SourcePosition("t", 2, 7));
    ItemFeature rejected = text.rejected("item caliper: the text encoder could not embed it");

    assertThat(roundTrip(text)).isEqualTo(text);
    assertThat(roundTrip(rejected)).isEqualTo(rejected).isNotEqualTo(text);
    assertThat(rejected.text).isNull();
    assertThat(rejected.source).isEqualTo(new SourcePosition("t", 2, 7));
    assertThat(text.embedded(new float[] {1f}).source).isNull();
  }

  private static ItemFeature roundTrip(ItemFeature item) throws Exception {
    TypeSerializer<ItemFeature> serializer = TYPE.createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(item, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
