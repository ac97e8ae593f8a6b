/**
 * The CLI's standard output. A reader that goes away early (`sluice list | head`) closes the pipe;
 * the next write then fails with EPIPE. That is not an error of the command: output stops
 * quietly and the command ends with its own exit code.
 */

let readerGone = false;

/** Makes an EPIPE on stdout stop all further output instead of crashing with a stack trace. */
export function endOutputQuietlyOnEpipe(): void {
  process.stdout.on('error', onStdoutError);
}

/** Writes `text` to stdout, unless its reader is gone. */
export function write(text: string): void {
  if (!readerGone) process.stdout.write(text);
}

function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  readerGone = true;
}
