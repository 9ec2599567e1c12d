/** Called once per dispatched SSE event: its size on the wire and (only if asked for) its data. */
export type SseEventHandler = (bytes: number, data: string | undefined) => void;
/** Called once per push() that dispatched events (without captureData): their sizes in `sizes[0..count)`. */
export type SseBatchHandler = (sizes: Uint32Array, count: number) => void;

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const DATA = [100, 97, 116, 97]; // "data"
const BOM = [0xef, 0xbb, 0xbf];
/** Shared by every parser: decode() without `stream` keeps no state between calls. */
let decoder: TextDecoder | undefined;
/** Bound on captured data per event (only with captureData). */
const MAX_DATA_BYTES = 65_536;

/**
 * Incremental `text/event-stream` parser over raw bytes, robust to any chunk boundary (including a
 * CRLF or a multi-byte character split across reads). It follows the WHATWG dispatch rule: an
 * event is dispatched at a blank line when at least one `data` field was seen; comments, `id:`,
 * `event:` and `retry:` lines alone dispatch nothing. It decodes nothing unless `captureData`.
 */
export class SseParser {
  private lineStart = true;
  private fieldIndex = 0; // bytes of the field name seen on this line
  private isData = true; // the field name so far matches "data"
  private inValue = false;
  private valueStart = false; // next byte is the first of a kept value (a single space is skipped)
  private lineIsData = false;
  private sawData = false;
  private eventBytes = 0;
  private afterCR = false;
  private atStreamStart = true;
  private bomSkip = 0;
  /** Captured data of the current event (only with captureData), and of its current line. */
  private dataParts: Uint8Array[] | undefined;
  private dataLength = 0;
  private lineParts: Uint8Array[] = [];
  private lineLength = 0;

  private eventSizes: Uint32Array | undefined;
  private declare readonly onEvent: SseEventHandler;
  private declare readonly onEvents: SseBatchHandler | undefined;

  constructor(onEvent: SseEventHandler, captureData = false, onEvents?: SseBatchHandler) {
    this.onEvent = onEvent;
    this.onEvents = onEvents;
    if (captureData) this.dataParts = [];
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (this.atStreamStart && i < n) {
      const b = chunk[i++] as number;
      // A UTF-8 BOM at the very start is not part of the stream.
      if (b === BOM[this.bomSkip]) {
        this.bomSkip++;
        if (this.bomSkip === 3) this.atStreamStart = false;
        continue;
      }
      this.atStreamStart = false;
      // A partial BOM match was real data: replay it.
      this.scan(Uint8Array.of(...BOM.slice(0, this.bomSkip), b), 0);
    }
    this.scan(chunk, i);
  }

  /**
   * One loop over the bytes with the state in locals, skipping each field value to its line end;
   * without captureData, no allocation. A kept data value is copied as slices of the chunk.
   */
  private scan(chunk: Uint8Array, from: number): void {
    const n = chunk.length;
    let i = from;
    let lineStart = this.lineStart;
    let inValue = this.inValue;
    let valueStart = this.valueStart;
    let fieldIndex = this.fieldIndex;
    let isData = this.isData;
    let lineIsData = this.lineIsData;
    let sawData = this.sawData;
    let afterCR = this.afterCR;
    // Bytes of the current event = i - eventStart (eventStart < 0 when it began in an earlier chunk).
    let eventStart = from - this.eventBytes;
    let batched = 0;
    const parts = this.dataParts;
    const batch = parts === undefined && this.onEvents !== undefined;
    // Without a CR in this read, a value ends at the next LF: the builtin indexOf finds it.
    const lfOnly = chunk.indexOf(CR, from) < 0;
    while (i < n) {
      const b = chunk[i++] as number;
      if (b === LF || b === CR) {
        if (b === LF && afterCR) {
          afterCR = false;
          continue;
        }
        afterCR = b === CR;
        if (lineStart) {
          if (sawData) {
            if (batch) {
              let sizes = this.eventSizes;
              if (sizes === undefined || batched === sizes.length) {
                const grown = new Uint32Array(Math.max(16, batched * 2));
                if (sizes !== undefined) grown.set(sizes);
                this.eventSizes = sizes = grown;
              }
              sizes[batched++] = i - eventStart;
            } else this.onEvent(i - eventStart, parts && this.takeData());
          }
          sawData = false;
          eventStart = i;
        } else {
          // A line without a colon is a field name with an empty value ("data" alone counts).
          const isDataLine = inValue ? lineIsData : isData && fieldIndex === 4;
          if (parts !== undefined) {
            if (isDataLine) {
              if (sawData) parts.push(Uint8Array.of(LF));
              parts.push(...this.lineParts);
              this.dataLength += this.lineLength + 1;
            }
            this.lineParts.length = this.lineLength = 0;
          }
          if (isDataLine) sawData = true;
          lineStart = true;
          valueStart = false;
        }
        continue;
      }
      afterCR = false;
      if (lineStart) {
        lineStart = false;
        fieldIndex = 0;
        isData = true;
        inValue = false;
        lineIsData = false;
      }
      if (inValue) {
        let start = i - 1;
        if (valueStart) {
          valueStart = false;
          if (b === SPACE) start = i;
        }
        if (lfOnly) {
          const end = chunk.indexOf(LF, i);
          i = end < 0 ? n : end;
        } else {
          while (i < n) {
            const c = chunk[i] as number;
            if (c === LF || c === CR) break;
            i++;
          }
        }
        if (lineIsData && parts !== undefined) {
          const room = Math.min(i, start + MAX_DATA_BYTES - this.dataLength - this.lineLength);
          if (room > start) {
            this.lineParts.push(chunk.slice(start, room));
            this.lineLength += room - start;
          }
        }
        continue;
      }
      if (b === COLON) {
        inValue = true;
        lineIsData = isData && fieldIndex === 4;
        // A kept value starts at the next byte (maybe in the next read): its leading space is skipped there.
        if (lineIsData && parts !== undefined) valueStart = true;
        else if (lfOnly) {
          const end = chunk.indexOf(LF, i);
          i = end < 0 ? n : end;
        }
        continue;
      }
      if (isData && (fieldIndex >= 4 || DATA[fieldIndex] !== b)) isData = false;
      fieldIndex++;
    }
    this.lineStart = lineStart;
    this.inValue = inValue;
    this.valueStart = valueStart;
    this.fieldIndex = fieldIndex;
    this.isData = isData;
    this.lineIsData = lineIsData;
    this.sawData = sawData;
    this.afterCR = afterCR;
    this.eventBytes = n - eventStart;
    if (batched > 0) (this.onEvents as SseBatchHandler)(this.eventSizes as Uint32Array, batched);
  }

  /** The current event's captured data, decoded; resets it. Only with captureData. */
  private takeData(): string {
    const parts = this.dataParts as Uint8Array[];
    let total = 0;
    for (const part of parts) total += part.length;
    const all = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      all.set(part, offset);
      offset += part.length;
    }
    parts.length = this.dataLength = 0;
    decoder ??= new TextDecoder();
    return decoder.decode(all);
  }
}
