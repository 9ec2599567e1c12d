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
  private valueStart = false; // next byte is the first of the value (a single space is skipped)
  private lineIsData = false;
  private sawData = false;
  private eventBytes = 0;
  private afterCR = false;
  private atStreamStart = true;
  private bomSkip = 0;
  private dataParts: Uint8Array[] | undefined;
  private dataLength = 0;
  private lineBuffer: number[] | undefined;

  private eventSizes: Uint32Array | undefined;
  private declare readonly onEvent: SseEventHandler;
  private declare readonly onEvents: SseBatchHandler | undefined;

  constructor(onEvent: SseEventHandler, captureData = false, onEvents?: SseBatchHandler) {
    this.onEvent = onEvent;
    this.onEvents = onEvents;
    if (captureData) {
      this.dataParts = [];
      this.lineBuffer = [];
    }
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
      for (let k = 0; k < this.bomSkip; k++) this.pushByte(BOM[k] as number);
      this.pushByte(b);
    }
    if (this.lineBuffer !== undefined) {
      // Capturing data (captureContent): the byte-wise path that keeps values.
      while (i < n) this.pushByte(chunk[i++] as number);
      return;
    }
    this.scan(chunk, i);
  }

  /**
   * The counting path: one loop over the bytes with the state in locals, skipping each field value
   * to its line end, no allocation. Same dispatch rule and byte counts as pushByte() (minus the data).
   */
  private scan(chunk: Uint8Array, from: number): void {
    const n = chunk.length;
    let i = from;
    let lineStart = this.lineStart;
    let inValue = this.inValue;
    let fieldIndex = this.fieldIndex;
    let isData = this.isData;
    let lineIsData = this.lineIsData;
    let sawData = this.sawData;
    let afterCR = this.afterCR;
    // Bytes of the current event = i - eventStart (eventStart < 0 when it began in an earlier chunk).
    let eventStart = from - this.eventBytes;
    let batched = 0;
    const batch = this.onEvents !== undefined;
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
            } else this.onEvent(i - eventStart, undefined);
          }
          sawData = false;
          eventStart = i;
        } else {
          if (inValue ? lineIsData : isData && fieldIndex === 4) sawData = true;
          lineStart = true;
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
        if (lfOnly) {
          const end = chunk.indexOf(LF, i);
          i = end < 0 ? n : end;
          continue;
        }
        while (i < n) {
          const c = chunk[i] as number;
          if (c === LF || c === CR) break;
          i++;
        }
        continue;
      }
      if (b === COLON) {
        inValue = true;
        lineIsData = isData && fieldIndex === 4;
        if (lfOnly) {
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
    this.valueStart = false;
    this.fieldIndex = fieldIndex;
    this.isData = isData;
    this.lineIsData = lineIsData;
    this.sawData = sawData;
    this.afterCR = afterCR;
    this.eventBytes = n - eventStart;
    if (batched > 0) (this.onEvents as SseBatchHandler)(this.eventSizes as Uint32Array, batched);
  }

  /** The stream ended: an incomplete event (no blank line) is discarded, as browsers do. */
  end(): void {
    this.resetEvent();
  }

  private pushByte(b: number): void {
    this.eventBytes++;
    if (b === LF && this.afterCR) {
      // The LF of a CRLF: the line already ended at the CR.
      this.afterCR = false;
      return;
    }
    this.afterCR = b === CR;
    if (b === LF || b === CR) {
      this.endLine();
      return;
    }
    if (this.lineStart) {
      this.lineStart = false;
      this.fieldIndex = 0;
      this.isData = true;
      this.inValue = false;
      this.lineIsData = false;
    }
    if (!this.inValue) {
      if (b === COLON) {
        this.inValue = true;
        this.valueStart = true;
        this.lineIsData = this.isData && this.fieldIndex === 4;
        return;
      }
      if (this.isData && (this.fieldIndex >= 4 || DATA[this.fieldIndex] !== b)) this.isData = false;
      this.fieldIndex++;
      return;
    }
    if (this.valueStart) {
      this.valueStart = false;
      if (b === SPACE) return;
    }
    if (this.lineIsData && this.lineBuffer !== undefined && this.dataLength + this.lineBuffer.length < MAX_DATA_BYTES) {
      this.lineBuffer.push(b);
    }
  }

  private endLine(): void {
    if (this.lineStart) {
      // Blank line: dispatch.
      if (this.sawData) this.onEvent(this.eventBytes, this.takeData());
      this.resetEvent();
      return;
    }
    // A line without a colon is a field name with an empty value ("data" alone counts).
    const isDataLine = this.inValue ? this.lineIsData : this.isData && this.fieldIndex === 4;
    if (isDataLine) {
      if (this.lineBuffer !== undefined && this.dataParts !== undefined) {
        if (this.sawData) this.dataParts.push(new Uint8Array([LF]));
        this.dataParts.push(Uint8Array.from(this.lineBuffer));
        this.dataLength += this.lineBuffer.length + 1;
        this.lineBuffer.length = 0;
      }
      this.sawData = true;
    } else if (this.lineBuffer !== undefined) {
      this.lineBuffer.length = 0;
    }
    this.lineStart = true;
  }

  private takeData(): string | undefined {
    if (this.dataParts === undefined) return undefined;
    let total = 0;
    for (const part of this.dataParts) total += part.length;
    const all = new Uint8Array(total);
    let offset = 0;
    for (const part of this.dataParts) {
      all.set(part, offset);
      offset += part.length;
    }
    decoder ??= new TextDecoder();
    return decoder.decode(all);
  }

  private resetEvent(): void {
    this.sawData = false;
    this.eventBytes = 0;
    this.lineStart = true;
    if (this.dataParts !== undefined) this.dataParts.length = 0;
    this.dataLength = 0;
    if (this.lineBuffer !== undefined) this.lineBuffer.length = 0;
  }
}
