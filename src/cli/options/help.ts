import type { AnyCommandSpec, OptionSpec } from './types.js';

const COLUMN = 26;

/** How an option is listed: `-p, --port LIST`, or its `display`. */
export function optionLabel(o: OptionSpec<unknown>): string {
  if (o.display !== undefined) return o.display;
  return o.names.join(', ') + (o.arg !== undefined ? ` ${o.arg}` : '');
}

/** The options of a command in help order: grouped, sections in `groups` order, then first appearance. */
export function optionSections(spec: AnyCommandSpec): { group: string; options: OptionSpec<unknown>[] }[] {
  const order = [...(spec.groups ?? [])];
  for (const o of spec.options) if (!order.includes(o.group)) order.push(o.group);
  return order.map((group) => ({ group, options: spec.options.filter((o) => o.group === group && !o.hidden) as OptionSpec<unknown>[] })).filter((s) => s.options.length > 0);
}

/** `portscope NAME --help`, generated from the command's table. */
export function renderHelp(spec: AnyCommandSpec): string {
  const usage = spec.usage.map((u, i) => `${i === 0 ? 'Usage:' : '      '} portscope ${spec.name} ${u}`).join('\n');
  const alias = spec.aliases?.length ? `   (alias: ${spec.aliases.join(', ')})` : '';
  let out = `${usage}${alias}\n\n${spec.description.trimEnd()}\n`;
  for (const section of optionSections(spec)) {
    out += `\n${section.group}\n`;
    if (spec.operand?.help !== undefined && spec.operand.group === section.group) out += helpEntry(spec.operand.name, spec.operand.help);
    for (const o of section.options) out += helpEntry(optionLabel(o), o.help);
  }
  if (spec.footer) out += `\n${spec.footer.trimEnd()}\n`;
  return out;
}

function helpEntry(label: string, help: string): string {
  const [first = '', ...more] = help.split('\n');
  const pad = ' '.repeat(COLUMN);
  const head = `  ${label}`;
  let out = head.length < COLUMN - 1 ? `${head.padEnd(COLUMN)}${first}\n` : `${head}\n${pad}${first}\n`;
  for (const line of more) out += `${pad}${line}\n`;
  return out;
}
