// Maps a profile call frame in a minified file back to its original source file:line via the file's source map.
import { SourceMapConsumer } from 'source-map-js';

export function originalLocator(rawMap) {
  const consumer = new SourceMapConsumer(typeof rawMap === 'string' ? JSON.parse(rawMap) : rawMap);
  return ({ lineNumber, columnNumber }) => {
    const pos = consumer.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
    if (pos.source === null) return undefined;
    const source = pos.source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, 'node_modules/');
    return { source, line: pos.line, name: pos.name };
  };
}
