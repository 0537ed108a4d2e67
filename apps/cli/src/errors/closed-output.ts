/**
 * `loadex watch | head -3`: once the reader has gone, writing to stdout fails with EPIPE, which
 * Node would report as an unhandled error with a stack trace. The reader wanted no more output, so
 * the CLI just stops, quietly, keeping the exit code it had.
 */
export function exitQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit();
      throw err;
    });
  }
}
