export interface RecordedRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface SdkTestServer {
  baseUrl: string;
  /** Every OTLP/HTTP JSON export request body received. */
  otlp: unknown[];
  /** Every HTTP request and WebSocket upgrade seen (url and headers). */
  requests: RecordedRequest[];
  /** Serves `html` at `path`. */
  setPage(path: string, html: string): void;
  /** All exported spans so far (OTLP JSON), flattened. */
  spans(): any[];
  close(): Promise<void>;
}

export function startSdkTestServer(options?: { pages?: Record<string, string> }): Promise<SdkTestServer>;
