// Lines of a log stream, with their numbers and the byte offset after each, read chunk by chunk so that memory
// stays flat whatever the file's size. A line longer than the limit is never held whole: it is reported once, as
// too long, and its bytes are dropped up to the next newline.

/** A line longer than this many bytes is skipped (S3 and CloudFront lines are a few kilobytes at most). */
export const maxLineBytes = 64 * 1024;

export interface LineSink {
  /** A whole line (without its line break), its 1-based number, and the offset of the byte after its newline. */
  line(text: string, number: number, endOffset: number): void;
  /** A line that was too long to read, by number. */
  tooLong(number: number): void;
}

/**
 * Feeds every complete line of `stream` to `sink`, starting at byte `start` of the log with line number
 * `firstLine`; resolves to the offset after the last complete line and the number of lines read. A last line
 * without a newline is left for the next run (a log being written), unless `final` says the log is complete.
 */
export async function splitLines(
  stream: AsyncIterable<Buffer>,
  sink: LineSink,
  options: { start: number; firstLine: number; final: boolean },
): Promise<{ offset: number; lines: number }> {
  let carry: Buffer | undefined;
  let offset = options.start;
  let number = options.firstLine - 1;
  let dropping = false;
  let consumed = options.start;
  for await (const chunk of stream) {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      if (newline === -1) break;
      number++;
      if (dropping) dropping = false;
      else {
        let bytes = carry ? Buffer.concat([carry, chunk.subarray(from, newline)]) : chunk.subarray(from, newline);
        carry = undefined;
        if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
        if (bytes.length > maxLineBytes) sink.tooLong(number);
        else sink.line(bytes.toString('utf8'), number, consumed + newline + 1);
      }
      offset = consumed + newline + 1;
      from = newline + 1;
    }
    if (from < chunk.length && !dropping) {
      const rest = chunk.subarray(from);
      const held = (carry?.length ?? 0) + rest.length;
      if (held > maxLineBytes) {
        carry = undefined;
        dropping = true;
        sink.tooLong(number + 1);
      } else carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
    }
    consumed += chunk.length;
  }
  if (options.final && (carry || dropping)) {
    number++;
    if (carry) {
      const text = carry.toString('utf8').replace(/\r$/, '');
      sink.line(text, number, consumed);
    }
    offset = consumed;
  }
  return { offset, lines: number - (options.firstLine - 1) };
}
