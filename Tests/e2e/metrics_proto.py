"""The io.prometheus.client schema (client_model's metrics.proto: the messages Prometheus reads
from a protobuf scrape), built as descriptors for Google's `protobuf` package, and a reader for
the delimited stream `/metrics` serves in that format. Independent of the exporter's encoder:
the messages, field numbers and types are written here from the public definition."""
from google.protobuf import descriptor_pb2, descriptor_pool, timestamp_pb2

try:  # protobuf >= 4.21
    from google.protobuf.message_factory import GetMessageClass
except ImportError:  # pragma: no cover
    from google.protobuf.message_factory import MessageFactory

    def GetMessageClass(descriptor):
        return MessageFactory().GetPrototype(descriptor)

F = descriptor_pb2.FieldDescriptorProto
OPTIONAL, REPEATED = F.LABEL_OPTIONAL, F.LABEL_REPEATED
STRING, DOUBLE, UINT64, UINT32 = F.TYPE_STRING, F.TYPE_DOUBLE, F.TYPE_UINT64, F.TYPE_UINT32
SINT32, SINT64, INT64, ENUM, MESSAGE = F.TYPE_SINT32, F.TYPE_SINT64, F.TYPE_INT64, F.TYPE_ENUM, F.TYPE_MESSAGE

# message name -> [(field name, number, label, type, message or enum type name)]
MESSAGES = {
    "LabelPair": [("name", 1, OPTIONAL, STRING, None), ("value", 2, OPTIONAL, STRING, None)],
    "Gauge": [("value", 1, OPTIONAL, DOUBLE, None)],
    "Counter": [("value", 1, OPTIONAL, DOUBLE, None), ("exemplar", 2, OPTIONAL, MESSAGE, "Exemplar"),
                ("created_timestamp", 3, OPTIONAL, MESSAGE, ".google.protobuf.Timestamp")],
    "Quantile": [("quantile", 1, OPTIONAL, DOUBLE, None), ("value", 2, OPTIONAL, DOUBLE, None)],
    "Summary": [("sample_count", 1, OPTIONAL, UINT64, None), ("sample_sum", 2, OPTIONAL, DOUBLE, None),
                ("quantile", 3, REPEATED, MESSAGE, "Quantile")],
    "Untyped": [("value", 1, OPTIONAL, DOUBLE, None)],
    "Histogram": [
        ("sample_count", 1, OPTIONAL, UINT64, None), ("sample_count_float", 4, OPTIONAL, DOUBLE, None),
        ("sample_sum", 2, OPTIONAL, DOUBLE, None), ("bucket", 3, REPEATED, MESSAGE, "Bucket"),
        ("created_timestamp", 15, OPTIONAL, MESSAGE, ".google.protobuf.Timestamp"),
        ("schema", 5, OPTIONAL, SINT32, None), ("zero_threshold", 6, OPTIONAL, DOUBLE, None),
        ("zero_count", 7, OPTIONAL, UINT64, None), ("zero_count_float", 8, OPTIONAL, DOUBLE, None),
        ("negative_span", 9, REPEATED, MESSAGE, "BucketSpan"), ("negative_delta", 10, REPEATED, SINT64, None),
        ("negative_count", 11, REPEATED, DOUBLE, None),
        ("positive_span", 12, REPEATED, MESSAGE, "BucketSpan"), ("positive_delta", 13, REPEATED, SINT64, None),
        ("positive_count", 14, REPEATED, DOUBLE, None), ("exemplars", 16, REPEATED, MESSAGE, "Exemplar"),
    ],
    "Bucket": [("cumulative_count", 1, OPTIONAL, UINT64, None), ("cumulative_count_float", 4, OPTIONAL, DOUBLE, None),
               ("upper_bound", 2, OPTIONAL, DOUBLE, None), ("exemplar", 3, OPTIONAL, MESSAGE, "Exemplar")],
    "BucketSpan": [("offset", 1, OPTIONAL, SINT32, None), ("length", 2, OPTIONAL, UINT32, None)],
    "Exemplar": [("label", 1, REPEATED, MESSAGE, "LabelPair"), ("value", 2, OPTIONAL, DOUBLE, None),
                 ("timestamp", 3, OPTIONAL, MESSAGE, ".google.protobuf.Timestamp")],
    "Metric": [("label", 1, REPEATED, MESSAGE, "LabelPair"), ("gauge", 2, OPTIONAL, MESSAGE, "Gauge"),
               ("counter", 3, OPTIONAL, MESSAGE, "Counter"), ("summary", 4, OPTIONAL, MESSAGE, "Summary"),
               ("untyped", 5, OPTIONAL, MESSAGE, "Untyped"), ("histogram", 7, OPTIONAL, MESSAGE, "Histogram"),
               ("timestamp_ms", 6, OPTIONAL, INT64, None)],
    "MetricFamily": [("name", 1, OPTIONAL, STRING, None), ("help", 2, OPTIONAL, STRING, None),
                     ("type", 3, OPTIONAL, ENUM, "MetricType"), ("metric", 4, REPEATED, MESSAGE, "Metric"),
                     ("unit", 5, OPTIONAL, STRING, None)],
}
METRIC_TYPES = ["COUNTER", "GAUGE", "SUMMARY", "UNTYPED", "HISTOGRAM", "GAUGE_HISTOGRAM"]
PACKAGE = "io.prometheus.client"


def _file_descriptor() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="cckm_e2e/io/prometheus/client/metrics.proto", package=PACKAGE, syntax="proto2",
        dependency=["google/protobuf/timestamp.proto"])
    enum = proto.enum_type.add(name="MetricType")
    for number, name in enumerate(METRIC_TYPES):
        enum.value.add(name=name, number=number)
    for message_name, fields in MESSAGES.items():
        message = proto.message_type.add(name=message_name)
        for name, number, label, kind, type_name in fields:
            field = message.field.add(name=name, number=number, label=label, type=kind)
            if type_name:
                field.type_name = type_name if type_name.startswith(".") else f".{PACKAGE}.{type_name}"
    return proto


def _metric_family_class():
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
    pool.Add(_file_descriptor())
    return GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.MetricFamily"))


MetricFamily = _metric_family_class()


def read_delimited(body: bytes) -> list:
    """The MetricFamily messages of a delimited stream (each preceded by its varint length)."""
    families, position = [], 0
    while position < len(body):
        length, shift = 0, 0
        while True:
            byte = body[position]
            position += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        family = MetricFamily()
        family.ParseFromString(body[position:position + length])
        families.append(family)
        position += length
    if position != len(body):
        raise ValueError("the stream ends inside a message")
    return families


def type_name(family) -> str:
    return METRIC_TYPES[family.type].lower()
