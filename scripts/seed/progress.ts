/**
 * Progress of a long write on stderr: a bar redrawn in place when stderr is a terminal, a plain line
 * every few seconds otherwise (a log file or CI gets lines, not carriage returns).
 */
export interface Progress {
  advance(done: number): void;
  finish(): void;
}

const formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.round(seconds)}s`;
}

export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  lineEveryMs = 5_000,
): Progress {
  const startedMs = Date.now();
  let lastLineMs = startedMs;
  const line = (done: number) => {
    const seconds = (Date.now() - startedMs) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const share = total > 0 ? done / total : 1;
    const stats = `${formatter.format(done)}/${formatter.format(total)} ${label} ${formatter.format(rate)}/s ETA ${duration(eta)}`;
    if (!stream.isTTY) return `${stats} (${Math.floor(share * 100)}%)`;
    const width = 30;
    const filled = Math.round(share * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${stats}`;
  };
  return {
    advance(done) {
      if (stream.isTTY) {
        stream.write(`\r${line(done)}\u001b[K`);
      } else if (Date.now() - lastLineMs >= lineEveryMs || done === total) {
        lastLineMs = Date.now();
        stream.write(`${line(done)}\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
