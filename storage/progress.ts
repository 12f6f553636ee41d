// A progress bar on a terminal (stderr), silent otherwise, redrawn at most every 100 ms.
export interface ProgressBar {
  update(done: number, total: number, label?: string): void;
  done(): void;
}

export function createProgressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  unit: 'bytes' | 'items' = 'bytes',
): ProgressBar {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let drawn = false;
  const format = (n: number) => (unit === 'bytes' ? `${(n / 1e9).toFixed(2)} GB` : String(n));
  return {
    update(done, total, label = '') {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(fraction * width);
      stream.write(
        (
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${format(done)} / ${format(total)} ${label}`
        ).slice(0, (stream.columns ?? 100) - 1),
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
