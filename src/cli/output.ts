import { styleText } from 'node:util';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'gray';

/**
 * Where the command writes: readable, coloured lines when stdout is a terminal; one JSON object
 * per line when it is piped, for `jq` and other programs. Notes and progress go to stderr, so
 * they never mix with the data.
 */
export interface Output {
  /** stdout is a terminal: print for people. */
  readonly terminal: boolean;
  /** stderr is a terminal: progress may redraw its line there. */
  readonly stderrTerminal: boolean;
  /** Columns of the terminal; undefined when piped. */
  readonly columns: number | undefined;
  /** A line for people on stdout. */
  line(text: string): void;
  /** One JSON object on one line on stdout. */
  json(value: unknown): void;
  /** A message for people on stderr. */
  note(text: string): void;
  /** Redraws the progress line on stderr (terminal only); `undefined` clears it. */
  progress(text: string | undefined): void;
  /** `text` in `style` when colour is on. */
  paint(style: Style | readonly Style[], text: string): string;
}

export interface OutputOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stderr?: NodeJS.WriteStream;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const terminal = stdout.isTTY === true;
  const stderrTerminal = stderr.isTTY === true;
  // https://no-color.org; FORCE_COLOR for terminals that do not say they are one.
  const color =
    env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0'
      ? true
      : (terminal || stderrTerminal) && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
  // `streamgate tail … | head`: the reader went away, which ends the command quietly.
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) stderr.write('\r\x1b[2K');
    progressShown = false;
  };
  return {
    terminal,
    stderrTerminal,
    // A pty of unknown size says 0 columns.
    columns: terminal && stdout.columns > 0 ? stdout.columns : undefined,
    line(text) {
      clearProgress();
      stdout.write(`${text}\n`);
    },
    json(value) {
      stdout.write(`${JSON.stringify(value)}\n`);
    },
    note(text) {
      clearProgress();
      stderr.write(`${text}\n`);
    },
    progress(text) {
      if (!stderrTerminal) return;
      if (text === undefined) return clearProgress();
      stderr.write(`\r\x1b[2K${text}`);
      progressShown = true;
    },
    paint(style, text) {
      return color ? styleText(style as Parameters<typeof styleText>[0], text) : text;
    },
  };
}

/** Rows as aligned columns, the first row a header. */
export function table(output: Output, rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row, index) => {
    const text = row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
    return index === 0 ? output.paint('bold', text) : text;
  });
}

/** `text` cut to `width` characters with an ellipsis; unchanged without a width. */
export function fit(text: string, width: number | undefined): string {
  if (width === undefined || text.length <= width) return text;
  return width <= 1 ? '…' : `${text.slice(0, width - 1)}…`;
}
