/** Called once per dispatched SSE event: its size on the wire and (only if asked for) its data. */
export type SseEventHandler = (bytes: number, data: string | undefined) => void;

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const DATA = [100, 97, 116, 97]; // "data"
const BOM = [0xef, 0xbb, 0xbf];
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

  constructor(private readonly onEvent: SseEventHandler, private readonly captureData = false) {
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
      for (let k = 0; k < this.bomSkip; k++) this.byte(BOM[k] as number);
      this.byte(b);
    }
    while (i < n) {
      if (this.inValue && !this.lineStart && !(this.lineIsData && this.lineBuffer !== undefined)) {
        // Fast path: a value we do not keep; only the next line terminator matters.
        const start = i;
        while (i < n) {
          const b = chunk[i] as number;
          if (b === LF || b === CR) break;
          i++;
        }
        if (i > start) {
          this.eventBytes += i - start;
          this.valueStart = false;
          this.afterCR = false;
        }
        if (i >= n) break;
      }
      this.byte(chunk[i++] as number);
    }
  }

  /** The stream ended: an incomplete event (no blank line) is discarded, as browsers do. */
  end(): void {
    this.resetEvent();
  }

  private byte(b: number): void {
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
    return new TextDecoder().decode(all);
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
