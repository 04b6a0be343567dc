/**
 * A small protobuf writer for hand-made OTLP payloads the SDKs would never send: values nested
 * thousands of levels deep, times past 2^63, odd field orders. Field numbers follow
 * opentelemetry-proto v1 (common, resource, trace).
 */
const varint = (n: bigint): Buffer => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
};

const tag = (field: number, wire: number): Buffer => varint(BigInt((field << 3) | wire));

export const pb = {
  varint: (field: number, n: number | bigint): Buffer => Buffer.concat([tag(field, 0), varint(BigInt(n))]),
  fixed64: (field: number, n: bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, n));
    return Buffer.concat([tag(field, 1), b]);
  },
  bytes: (field: number, data: Uint8Array): Buffer => Buffer.concat([tag(field, 2), varint(BigInt(data.length)), data]),
  string: (field: number, s: string): Buffer => pb.bytes(field, Buffer.from(s, 'utf8')),
  message: (field: number, ...parts: Buffer[]): Buffer => pb.bytes(field, Buffer.concat(parts)),
};

/** AnyValue{string_value}. */
export const anyString = (s: string): Buffer => pb.string(1, s);

/** KeyValue{key, value}. */
export const keyValue = (key: string, anyValue: Buffer): Buffer => Buffer.concat([pb.string(1, key), pb.bytes(2, anyValue)]);

/** An AnyValue that is a kvlist nested `depth` levels deep, built without recursion. */
export function deepKvlist(depth: number): Buffer {
  let value = anyString('bottom');
  for (let i = 0; i < depth; i++) value = pb.bytes(6, pb.bytes(1, keyValue('k', value))); // kvlist_value{values:[{k: value}]}
  return value;
}

export interface ProtoSpan {
  traceId: Buffer;
  spanId: Buffer;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  /** KeyValue messages. */
  attributes?: Buffer[];
}

export function spanMessage(s: ProtoSpan): Buffer {
  return Buffer.concat([
    pb.bytes(1, s.traceId),
    pb.bytes(2, s.spanId),
    pb.string(5, s.name),
    pb.varint(6, 2),
    pb.fixed64(7, s.startTimeUnixNano),
    pb.fixed64(8, s.endTimeUnixNano),
    ...(s.attributes ?? []).map((kv) => pb.bytes(9, kv)),
  ]);
}

/** ExportTraceServiceRequest with one resource (service.name) and one scope. */
export function traceRequest(service: string, spans: ProtoSpan[]): Buffer {
  const resource = pb.bytes(1, keyValue('service.name', anyString(service)));
  const scopeSpans = Buffer.concat(spans.map((s) => pb.bytes(2, spanMessage(s))));
  return pb.message(1, pb.bytes(1, resource), pb.bytes(2, scopeSpans));
}
