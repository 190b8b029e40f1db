import { RulesetError } from './errors.js';

/** Split a save line into words; double-quoted words may hold spaces and \" escapes. */
export function splitWords(line: string, where: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') {
      i++;
      continue;
    }
    let w = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        w += line[i++];
      }
      if (i >= line.length) throw new RulesetError(`${where}: unterminated quoted string`);
      i++;
    } else {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') w += line[i++];
    }
    words.push(w);
  }
  return words;
}
