package io.quasid.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.schemas.SchemaRegistry.RegistryUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FramedCodecTest {

  private InProcessSchemaRegistry registry;
  private FramedCodec<ItemFeatureEvent> items;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = new InProcessSchemaRegistry();
    items =
        FramedCodec.singleObject(AvroWire.ITEM_FEATURES)
            .readingRegistry(new SchemaRegistry(registry.url(), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void readsWhatARegistrySerializerWritesAndSingleObjectAlike() throws Exception {
    int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
    ItemFeatureEvent event = SampleRecords.itemFeature();

    assertThat(
            items.decode(confluentFrame(id, ItemFeatureEvent.getClassSchema(), asGeneric(event))))
        .isEqualTo(event);
    assertThat(items.decode(AvroWire.ITEM_FEATURES.encode(event))).isEqualTo(event);
  }

  @Test
  void resolvesANewerWriterSchemaFromTheRegistry() throws Exception {
    Schema v2 = EvolvedSchemas.load("ItemFeatureEvent");
    int id = registry.register("items-value", v2);
    GenericRecord asV2 =
        EvolvedSchemas.readGeneric(
            v2,
            ItemFeatureEvent.getClassSchema(),
            AvroWire.ITEM_FEATURES.encode(SampleRecords.itemFeature()));
    asV2.put(EvolvedSchemas.extraField(v2), "from a later producer");

    assertThat(items.decode(confluentFrame(id, v2, asV2))).isEqualTo(SampleRecords.itemFeature());
  }

  @Test
  void fetchesEachSchemaIdOnce() throws Exception {
    int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
    byte[] framed =
        confluentFrame(
            id, ItemFeatureEvent.getClassSchema(), asGeneric(SampleRecords.itemFeature()));

    for (int i = 0; i < 5; i++) {
      items.decode(framed);
    }

    assertThat(registry.schemaFetches()).isEqualTo(1);
  }

  @Test
  void anOutageIsTransientNeverUndecodable() throws Exception {
    int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
    byte[] framed =
        confluentFrame(
            id, ItemFeatureEvent.getClassSchema(), asGeneric(SampleRecords.itemFeature()));
    registry.outage(true);

    assertThatThrownBy(() -> items.decode(framed))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("HTTP 503");

    registry.outage(false);
    assertThat(items.decode(framed)).isEqualTo(SampleRecords.itemFeature());
  }

  @Test
  void anUnreachableRegistryIsTransient() {
    FramedCodec<ItemFeatureEvent> nowhere =
        FramedCodec.singleObject(AvroWire.ITEM_FEATURES)
            .readingRegistry(new SchemaRegistry("http://127.0.0.1:1", Duration.ofSeconds(2)));

    assertThatThrownBy(() -> nowhere.decode(new byte[] {0, 0, 0, 0, 7, 2}))
        .isInstanceOf(RegistryUnavailableException.class);
  }

  @Test
  void aWrongUrlFailsLoudlyInsteadOfDeadLetteringEveryRecord() {
    FramedCodec<ItemFeatureEvent> wrongPath =
        FramedCodec.singleObject(AvroWire.ITEM_FEATURES)
            .readingRegistry(
                new SchemaRegistry(registry.url() + "/apis/wrong", Duration.ofSeconds(5)));

    assertThatThrownBy(() -> wrongPath.decode(new byte[] {0, 0, 0, 0, 101, 2}))
        .isInstanceOf(SchemaRegistry.RegistryRefusedException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("check registry.url");
  }

  @Test
  void anUnknownIdIsUndecodable() {
    assertThatThrownBy(() -> items.decode(new byte[] {0, 0, 0, 0x30, 0x39, 2, 2}))
        .isInstanceOfSatisfying(
            AvroWireException.class,
            e -> assertThat(e.kind()).isEqualTo(AvroWireException.Kind.UNKNOWN_SCHEMA))
        .hasMessageContaining("no schema id 12345");
  }

  @Test
  void anIdOfAnotherRecordTypeIsUndecodable() throws Exception {
    int id = registry.register("interactions-value", InteractionEvent.getClassSchema());
    byte[] framed = frame(id, AvroWire.INTERACTIONS.encodeBody(SampleRecords.interaction()));

    assertThatThrownBy(() -> items.decode(framed))
        .isInstanceOfSatisfying(
            AvroWireException.class,
            e -> assertThat(e.kind()).isEqualTo(AvroWireException.Kind.UNKNOWN_SCHEMA))
        .hasMessageContaining("io.quasid.schemas.InteractionEvent");
  }

  @Test
  void registryFramingWithoutARegistrySaysWhatToSet() {
    FramedCodec<ItemFeatureEvent> plain = FramedCodec.singleObject(AvroWire.ITEM_FEATURES);

    assertThatThrownBy(() -> plain.decode(new byte[] {0, 0, 0, 0, 101, 2}))
        .isInstanceOfSatisfying(
            AvroWireException.class,
            e -> assertThat(e.kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER))
        .hasMessageContaining("registry.url");
  }

  @Test
  void readsApicuriosHeaderModeByGlobalAndByContentId() throws Exception {
    FramedCodec<ItemFeatureEvent> apicurio = readingApicurio();
    int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
    ItemFeatureEvent event = SampleRecords.itemFeature();
    byte[] body = AvroWire.ITEM_FEATURES.encodeBody(event);

    for (HeaderSchemaId.Kind kind : HeaderSchemaId.Kind.values()) {
      HeaderSchemaId header =
          HeaderSchemaId.parse(kind, ByteBuffer.allocate(8).putLong(id).array());
      assertThat(apicurio.decode(body, header)).isEqualTo(event);
    }
    // The header decides, not the first byte: this body starts like registry framing.
    ItemFeatureEvent emptyId = SampleRecords.itemFeature();
    emptyId.setItemId("");
    byte[] startsWithZero = AvroWire.ITEM_FEATURES.encodeBody(emptyId);
    assertThat(startsWithZero[0]).isZero();
    assertThat(
            apicurio.decode(startsWithZero, new HeaderSchemaId(HeaderSchemaId.Kind.GLOBAL_ID, id)))
        .isEqualTo(emptyId);
  }

  @Test
  void anUnknownHeaderIdIsUndecodableAndAMalformedHeaderTooButANonApicurioUrlFailsLoudly() {
    FramedCodec<ItemFeatureEvent> apicurio = readingApicurio();
    byte[] body = AvroWire.ITEM_FEATURES.encodeBody(SampleRecords.itemFeature());

    assertThatThrownBy(
            () -> apicurio.decode(body, new HeaderSchemaId(HeaderSchemaId.Kind.CONTENT_ID, 4242)))
        .isInstanceOfSatisfying(
            AvroWireException.class,
            e -> assertThat(e.kind()).isEqualTo(AvroWireException.Kind.UNKNOWN_SCHEMA))
        .hasMessageContaining("apicurio.value.contentId=4242");
    assertThatThrownBy(() -> HeaderSchemaId.parse(HeaderSchemaId.Kind.GLOBAL_ID, new byte[4]))
        .isInstanceOfSatisfying(
            AvroWireException.class,
            e -> assertThat(e.kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER))
        .hasMessageContaining("4 bytes");
    // Without Apicurio's URL there is no native API to resolve the id: every such record would
    // be dead-lettered, so the configuration error fails whatever decodes instead.
    assertThatThrownBy(
            () -> items.decode(body, new HeaderSchemaId(HeaderSchemaId.Kind.GLOBAL_ID, 101)))
        .isInstanceOf(SchemaRegistry.RegistryRefusedException.class)
        .hasMessageContaining("/apis/ccompat/v7");
  }

  @Test
  void headerModeWithoutARegistrySaysWhatToSet() {
    FramedCodec<ItemFeatureEvent> plain = FramedCodec.singleObject(AvroWire.ITEM_FEATURES);

    assertThatThrownBy(
            () ->
                plain.decode(new byte[] {2}, new HeaderSchemaId(HeaderSchemaId.Kind.GLOBAL_ID, 1)))
        .isInstanceOfSatisfying(
            AvroWireException.class,
            e -> assertThat(e.kind()).isEqualTo(AvroWireException.Kind.BAD_HEADER))
        .hasMessageContaining("registry.url");
  }

  @Test
  void truncatedAndTrailingBodiesAreMalformed() throws Exception {
    int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
    byte[] framed =
        confluentFrame(
            id, ItemFeatureEvent.getClassSchema(), asGeneric(SampleRecords.itemFeature()));
    byte[] truncated = Arrays.copyOf(framed, framed.length - 3);
    byte[] trailing = Arrays.copyOf(framed, framed.length + 2);

    for (byte[] bad : new byte[][] {truncated, trailing, {0, 0, 0}}) {
      assertThatThrownBy(() -> items.decode(bad)).isInstanceOf(AvroWireException.class);
    }
  }

  @Test
  void writesRegistryFramingUnderTheTopicSubject() throws Exception {
    FramedCodec<SidAssignment> sids =
        FramedCodec.singleObject(AvroWire.SID_ASSIGNMENTS)
            .readingRegistry(new SchemaRegistry(registry.url(), Duration.ofSeconds(5)))
            .writingRegistryFraming("sid-assignments-value");

    byte[] framed = sids.encode(SampleRecords.sidAssignment());

    assertThat(registry.idsOf("sid-assignments-value")).hasSize(1);
    int id = registry.idsOf("sid-assignments-value").get(0);
    assertThat(framed[0]).isZero();
    assertThat(ByteBuffer.wrap(framed, 1, 4).getInt()).isEqualTo(id);
    assertThat(sids.decode(framed)).isEqualTo(SampleRecords.sidAssignment());
  }

  @Test
  void survivesJavaSerializationAsAFlinkFunctionFieldDoes() throws Exception {
    int id = registry.register("items-value", ItemFeatureEvent.getClassSchema());
    byte[] framed =
        confluentFrame(
            id, ItemFeatureEvent.getClassSchema(), asGeneric(SampleRecords.itemFeature()));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(items);
    }
    @SuppressWarnings("unchecked")
    FramedCodec<ItemFeatureEvent> copy =
        (FramedCodec<ItemFeatureEvent>)
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();

    assertThat(copy.decode(framed)).isEqualTo(SampleRecords.itemFeature());
  }

  private FramedCodec<ItemFeatureEvent> readingApicurio() {
    return FramedCodec.singleObject(AvroWire.ITEM_FEATURES)
        .readingRegistry(new SchemaRegistry(registry.apicurioUrl(), Duration.ofSeconds(5)));
  }

  private static GenericRecord asGeneric(ItemFeatureEvent event) throws IOException {
    Schema schema = ItemFeatureEvent.getClassSchema();
    return EvolvedSchemas.readGeneric(schema, schema, AvroWire.ITEM_FEATURES.encode(event));
  }

  /** What Confluent's KafkaAvroSerializer writes: 00, the id big-endian, the binary body. */
  private static byte[] confluentFrame(int id, Schema writer, GenericRecord record)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
    new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
    encoder.flush();
    return frame(id, body.toByteArray());
  }

  private static byte[] frame(int id, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
  }
}
