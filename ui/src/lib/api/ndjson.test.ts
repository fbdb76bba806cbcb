import { describe, expect, it } from 'vitest';
import { createLineSplitter, readLines } from './ndjson';

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

describe('line splitter', () => {
  it('gives whole lines only, joining a line that spans chunks', () => {
    const split = createLineSplitter();
    expect(split.push('{"a":')).toEqual([]);
    expect(split.push('1}\n{"b"')).toEqual(['{"a":1}']);
    expect(split.push(':2}\n')).toEqual(['{"b":2}']);
    expect(split.end()).toEqual([]);
  });

  it('gives several lines from one chunk', () => {
    const split = createLineSplitter();
    expect(split.push('1\n2\n3\n4')).toEqual(['1', '2', '3']);
    expect(split.end()).toEqual(['4']);
  });

  it('drops carriage returns, also when the newline comes in the next chunk, and skips blank lines', () => {
    const split = createLineSplitter();
    expect(split.push('one\r')).toEqual([]);
    expect(split.push('\n\n  \r\ntwo\r\n')).toEqual(['one', 'two']);
    expect(split.end()).toEqual([]);
  });

  it('joins a long line from many chunks, the way it was sent', () => {
    const split = createLineSplitter();
    const line = `{"report":"${'x'.repeat(5000)}"}`;
    const got: string[] = [];
    for (let at = 0; at < line.length; at += 7) got.push(...split.push(line.slice(at, at + 7)));
    expect(got).toEqual([]);
    expect(split.push('\r\nnext')).toEqual([line]);
    expect(split.end()).toEqual(['next']);
  });

  it('keeps going after end', () => {
    const split = createLineSplitter();
    split.push('x');
    expect(split.end()).toEqual(['x']);
    expect(split.end()).toEqual([]);
    expect(split.push('y\n')).toEqual(['y']);
  });
});

describe('readLines', () => {
  it('decodes a UTF-8 character split between chunks', async () => {
    const bytes = new TextEncoder().encode('{"m":"Ünïcödé ✓"}\n{"n":1}');
    const lines: string[] = [];
    // Split inside the two-byte Ü and inside the three-byte ✓.
    const check = bytes.indexOf(0xe2);
    await readLines(streamOf([bytes.slice(0, 7), bytes.slice(7, check + 1), bytes.slice(check + 1)]), (l) => lines.push(l));
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ m: 'Ünïcödé ✓' }, { n: 1 }]);
  });

  it('gives each line as soon as its chunk arrives', async () => {
    const lines: string[] = [];
    await readLines(streamOf(['a\nb', '\n', 'c']), (l) => lines.push(l));
    expect(lines).toEqual(['a', 'b', 'c']);
  });
});
