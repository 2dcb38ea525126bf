/** Where an import reports: a redrawn bar on a terminal, plain lines otherwise. */
export class ImportProgress {
  private lastLine = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number): void {
    if (this.out.isTTY) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const percent = total ? Math.floor((done / total) * 100) : 100;
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${percent}%)`,
      );
      if (done >= total) this.out.write('\n');
      return;
    }
    // A line per tenth, and the last one: readable in CI logs.
    const step = Math.max(1, Math.floor(total / 10));
    if (done >= total || done - this.lastLine >= step) {
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
