// OTLP protobuf decoded straight into the collector's stored form (see otlp-types.ts), with the
// same rules as normalize-common.ts applies to OTLP JSON: one object tree per request instead of
// protobufjs's message, its JSON-shaped copy and the normalized copy.
import { MAX_STRING_VALUE_CHARS, ShapeError, boundedString } from './normalize-common.js';
import { ProtoError, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader, expectWire, signedDecimal } from './normalize-proto-wire.js';
import type { TruncationCount } from './normalize-common.js';
import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './otlp-types.js';

// As normalize-common: deeper values are refused, so one request cannot exhaust the stack.
const MAX_VALUE_DEPTH = 16;

function bounded(reader: WireReader, truncated: TruncationCount | undefined): string {
  const value = reader.string();
  return value.length <= MAX_STRING_VALUE_CHARS ? value : boundedString(value, truncated);
}

/** An embedded `AnyValue`; when several of its oneof fields are present the last one wins. */
export function readAnyValue(reader: WireReader, depth: number, truncated: TruncationCount | undefined): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new ShapeError('attribute value is nested too deeply');
  const outer = reader.enter();
  let value: AnyValue = {};
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_LEN);
        value = { stringValue: bounded(reader, truncated) };
        break;
      case 2:
        expectWire(tag, WIRE_VARINT);
        value = { boolValue: reader.uint32() !== 0 };
        break;
      case 3:
        expectWire(tag, WIRE_VARINT);
        reader.varint64();
        value = { intValue: signedDecimal(reader) };
        break;
      case 4: {
        expectWire(tag, WIRE_FIXED64);
        const double = reader.double();
        value = { doubleValue: Number.isFinite(double) ? double : String(double) };
        break;
      }
      case 5: {
        expectWire(tag, WIRE_LEN);
        const arrayOuter = reader.enter();
        const values: AnyValue[] = [];
        while (reader.more()) {
          const inner = reader.tag();
          if (inner >>> 3 === 1) {
            expectWire(inner, WIRE_LEN);
            values.push(readAnyValue(reader, depth + 1, truncated));
          } else reader.skip(inner);
        }
        reader.leave(arrayOuter);
        value = { arrayValue: { values } };
        break;
      }
      case 6: {
        expectWire(tag, WIRE_LEN);
        const listOuter = reader.enter();
        const values: KeyValue[] = [];
        while (reader.more()) {
          const inner = reader.tag();
          if (inner >>> 3 === 1) {
            expectWire(inner, WIRE_LEN);
            values.push(readKeyValue(reader, depth + 1, truncated));
          } else reader.skip(inner);
        }
        reader.leave(listOuter);
        value = { kvlistValue: { values } };
        break;
      }
      case 7:
        expectWire(tag, WIRE_LEN);
        value = { bytesValue: reader.base64() };
        break;
      default:
        reader.skip(tag);
    }
  }
  reader.leave(outer);
  return value;
}

/** An embedded `KeyValue` (a missing value is `{}`). */
export function readKeyValue(reader: WireReader, depth: number, truncated: TruncationCount | undefined): KeyValue {
  const outer = reader.enter();
  let key = '';
  let value: AnyValue = {};
  while (reader.more()) {
    const tag = reader.tag();
    const field = tag >>> 3;
    if (field === 1) {
      expectWire(tag, WIRE_LEN);
      key = reader.string();
    } else if (field === 2) {
      expectWire(tag, WIRE_LEN);
      value = readAnyValue(reader, depth, truncated);
    } else reader.skip(tag);
  }
  reader.leave(outer);
  return { key, value };
}

/**
 * Appends one repeated `KeyValue` field to `into` while it holds fewer than `max`; beyond that the
 * attribute is skipped unread and `true` returned, for the caller's dropped count.
 */
export function readAttribute(reader: WireReader, tag: number, into: KeyValue[], max: number, truncated: TruncationCount | undefined): boolean {
  expectWire(tag, WIRE_LEN);
  if (into.length >= max) {
    reader.skipBytes();
    return true;
  }
  into.push(readKeyValue(reader, 0, truncated));
  return false;
}

/** An embedded `Resource` (attributes, dropped count; anything else skipped). */
export function readResource(reader: WireReader): Resource {
  const outer = reader.enter();
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (reader.more()) {
    const tag = reader.tag();
    const field = tag >>> 3;
    if (field === 1) readAttribute(reader, tag, attributes, Infinity, undefined);
    else if (field === 2) {
      expectWire(tag, WIRE_VARINT);
      dropped = reader.uint32();
    } else reader.skip(tag);
  }
  reader.leave(outer);
  const resource: Resource = { attributes };
  if (dropped) resource.droppedAttributesCount = dropped;
  return resource;
}

/** An embedded `InstrumentationScope` (its dropped count is not kept, as for JSON). */
export function readScope(reader: WireReader): InstrumentationScope {
  const outer = reader.enter();
  let name = '';
  let version = '';
  const attributes: KeyValue[] = [];
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_LEN);
        name = reader.string();
        break;
      case 2:
        expectWire(tag, WIRE_LEN);
        version = reader.string();
        break;
      case 3:
        readAttribute(reader, tag, attributes, Infinity, undefined);
        break;
      case 4:
        expectWire(tag, WIRE_VARINT);
        reader.uint32();
        break;
      default:
        reader.skip(tag);
    }
  }
  reader.leave(outer);
  const scope: InstrumentationScope = { name };
  if (version) scope.version = version;
  if (attributes.length > 0) scope.attributes = attributes;
  return scope;
}

/** How one signal's `Scope*` and `Resource*` messages become stored objects. */
export interface ProtoEnvelope<Item, Scoped extends { schemaUrl?: string }, Resourced extends { schemaUrl?: string }> {
  /** Reads one item (span, log record) into its stored form, or `undefined` when it is rejected. */
  readItem(reader: WireReader, where: string, index: number): Item | undefined;
  /** Builds the stored `Scope*` from its scope and kept items (the schema URL is added after). */
  scoped(scope: InstrumentationScope, items: Item[]): Scoped;
  /** Builds the stored `Resource*` from its resource and kept scopes (the schema URL is added after). */
  resourced(resource: Resource, scoped: Scoped[]): Resourced;
}

/** A `Scope{Spans,Logs}` message: its scope, the items `readItem` kept, its schema URL and how many items were rejected. */
function readScopedItems<Item>(
  reader: WireReader,
  where: string,
  readItem: (reader: WireReader, where: string, index: number) => Item | undefined,
): { scope: InstrumentationScope; items: Item[]; schemaUrl: string; rejected: number } {
  let scope: InstrumentationScope = { name: '' };
  let schemaUrl = '';
  const items: Item[] = [];
  let rejected = 0;
  let i = 0;
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_LEN);
        scope = readScope(reader);
        break;
      case 2: {
        expectWire(tag, WIRE_LEN);
        const item = readItem(reader, where, i++);
        if (item !== undefined) items.push(item);
        else rejected++;
        break;
      }
      case 3:
        expectWire(tag, WIRE_LEN);
        schemaUrl = reader.string();
        break;
      default:
        reader.skip(tag);
    }
  }
  return { scope, items, schemaUrl, rejected };
}

/**
 * Reads an `Export*ServiceRequest` (field 1: Resource*; in it 1: resource, 2: Scope*, 3: schema_url),
 * keeping only resources that still hold scopes. ShapeError and ProtoError pass through.
 */
export function readEnvelope<Item, Scoped extends { schemaUrl?: string }, Resourced extends { schemaUrl?: string }>(
  bytes: Buffer,
  resourcesKey: string,
  scopesKey: string,
  envelope: ProtoEnvelope<Item, Scoped, Resourced>,
): { resources: Resourced[]; accepted: number; rejected: number } {
  const reader = new WireReader(bytes);
  const resources: Resourced[] = [];
  let accepted = 0;
  let rejected = 0;
  let r = 0;
  while (reader.more()) {
    const tag = reader.tag();
    if (tag >>> 3 !== 1) {
      reader.skip(tag);
      continue;
    }
    expectWire(tag, WIRE_LEN);
    const outer = reader.enter();
    let resource: Resource = { attributes: [] };
    let schemaUrl = '';
    const scoped: Scoped[] = [];
    let s = 0;
    while (reader.more()) {
      const inner = reader.tag();
      switch (inner >>> 3) {
        case 1:
          expectWire(inner, WIRE_LEN);
          resource = readResource(reader);
          break;
        case 2: {
          expectWire(inner, WIRE_LEN);
          const scopeOuter = reader.enter();
          const read = readScopedItems(reader, `${resourcesKey}[${r}].${scopesKey}[${s}]`, envelope.readItem);
          reader.leave(scopeOuter);
          rejected += read.rejected;
          if (read.items.length > 0) {
            accepted += read.items.length;
            const kept = envelope.scoped(read.scope, read.items);
            if (read.schemaUrl) kept.schemaUrl = read.schemaUrl;
            scoped.push(kept);
          }
          s++;
          break;
        }
        case 3:
          expectWire(inner, WIRE_LEN);
          schemaUrl = reader.string();
          break;
        default:
          reader.skip(inner);
      }
    }
    reader.leave(outer);
    if (scoped.length > 0) {
      const entry = envelope.resourced(resource, scoped);
      if (schemaUrl) entry.schemaUrl = schemaUrl;
      resources.push(entry);
    }
    r++;
  }
  if (reader.pos !== bytes.length) throw new ProtoError('trailing bytes');
  return { resources, accepted, rejected };
}
