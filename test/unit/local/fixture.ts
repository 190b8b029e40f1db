import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Text of test/fixtures/local/<name>; compiled tests live in dist/test/unit/local, four levels below the root. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/local/${name}`, import.meta.url)), 'utf8');
}
