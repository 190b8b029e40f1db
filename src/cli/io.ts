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
