/** A bar is redrawn at most this often: a million rows in batches of a thousand stay readable. */
const REDRAW_EVERY_MS = 200;

/**
 * Where a long command (an import, an export) reports: on a terminal a bar
 * redrawn in place with the rate and the time left, at most every 200 ms; a
 * plain line per tenth otherwise (CI logs). Always stderr, so stdout keeps only
 * the result (`--json` stays one document).
 */
export class ImportProgress {
  private lastLine = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number): void {
    const finished = done >= total;
    if (this.out.isTTY) {
      const now = Date.now();
      if (!finished && now - this.lastDraw < REDRAW_EVERY_MS) return;
      this.lastDraw = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const percent = total ? Math.floor((done / total) * 100) : 100;
      const seconds = Math.max((now - this.started) / 1000, 0.001);
      const rate = done / seconds;
      const left = rate > 0 && !finished ? ` ${formatSeconds((total - done) / rate)} left` : '';
      this.out.write(
        `\r\x1b[K${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${percent}%) ${Math.round(rate)}/s${left}`,
      );
      if (finished) this.out.write(`\n${this.label}: ${done} rows in ${formatSeconds(seconds)}\n`);
      return;
    }
    const step = Math.max(1, Math.floor(total / 10));
    if (finished || done - this.lastLine >= step) {
      this.lastLine = done;
      this.out.write(`${this.label}: ${done}/${total} rows\n`);
    }
  }

  /** A row that was skipped, on its own line (after a bar being drawn). */
  skipped(sourceId: string, reason: string): void {
    this.out.write(
      `${this.out.isTTY ? '\r\x1b[K' : ''}${this.label}: skipped row ${sourceId}: ${reason}\n`,
    );
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
