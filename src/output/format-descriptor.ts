/** The shape of every format registry (registry.ts, registry-listening.ts, registry-audit.ts, registry-diff.ts). */
export interface FormatDescriptor<Render> {
  /** The format's name: the value of `--format`, and the key programs use. */
  readonly name: string;
  /** The option that writes this format to a FILE (`-oX`), if there is one. */
  readonly flag?: string;
  /** File name extension, without the dot: `-oA BASE` writes BASE.ext for each scan format that has one. */
  readonly ext?: string;
  /** One line for help. */
  readonly help: string;
  readonly render: Render;
}

/** The descriptor called `name` (throws on a name that is not in the table: a programming error). */
export function formatNamed<R>(table: readonly FormatDescriptor<R>[], name: string): FormatDescriptor<R> {
  const d = table.find((f) => f.name === name);
  if (!d) throw new RangeError(`no format "${name}"`);
  return d;
}
