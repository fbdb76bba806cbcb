// Newline-delimited JSON from a streamed response: text arrives in chunks
// that may end anywhere, in the middle of a line or of a UTF-8 character.

export interface LineSplitter {
  /** Takes the next piece of text; gives the lines it completed. */
  push(text: string): string[];
  /** The text ends: gives the last line when it had no newline. */
  end(): string[];
}

/**
 * Splits text into lines on `\n` (a `\r` before it is dropped); blank lines are skipped.
 * Only the new text is searched for newlines: the start of an unfinished line waits in
 * pieces, joined once when its newline comes (an import's report is one line of many
 * megabytes, arriving in hundreds of chunks).
 */
export function createLineSplitter(): LineSplitter {
  let pieces: string[] = [];
  const clean = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  const keep = (line: string, lines: string[]) => {
    const cleaned = clean(line);
    if (cleaned.trim() !== '') lines.push(cleaned);
  };
  return {
    push(text) {
      const lines: string[] = [];
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        pieces.push(text.slice(start, newline));
        keep(pieces.join(''), lines);
        pieces = [];
        start = newline + 1;
      }
      if (start < text.length) pieces.push(text.slice(start));
      return lines;
    },
    end() {
      const lines: string[] = [];
      keep(pieces.join(''), lines);
      pieces = [];
      return lines;
    },
  };
}

/** Reads a byte stream to its end, calling `onLine` for each line of text. */
export async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const splitter = createLineSplitter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const line of splitter.push(decoder.decode(value, { stream: true }))) onLine(line);
    }
    for (const line of splitter.push(decoder.decode())) onLine(line);
    for (const line of splitter.end()) onLine(line);
  } catch (err) {
    // Nothing more is read: let the connection go.
    await reader.cancel().catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
}
