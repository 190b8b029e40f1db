/** The streams and environment a command runs with; commands never touch process.* directly. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** The terminal's width where stderr is one (read when needed: windows are resized). */
  stderrColumns?: () => number | undefined;
}

/** Exit status when standard output cannot be written (sysexits.h EX_IOERR). */
export const EXIT_IO = 74;

/**
 * Watches stdout for failed writes. EPIPE (the reader went away, `| head`) ends the process quietly with the
 * status so far; any other error (ENOSPC on /dev/full, EIO) prints one line on stderr, once, calls `stop`
 * and sets the exit status to EXIT_IO — also when it arrives after the command returned, since a write's
 * error is reported on a later tick.
 */
export function watchStdout(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, stop: () => void): { readonly failed: boolean } {
  const state = { failed: false };
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (state.failed) return;
    state.failed = true;
    stderr.write(`portscope: cannot write to standard output: ${err.code ?? err.message}\n`);
    process.exitCode = EXIT_IO;
    stop();
  });
  return state;
}
