import * as fs from 'node:fs';
import { hasShared, sharedPath } from '../../../test/support/shared-data';

export interface TalpcoLine {
  id: string;
  text: string;
}

/** TALPCo sentences (`ID<TAB>sentence`) from the shared data folder, or null (with a warning) when absent. */
export function readTalpco(lang: 'ja' | 'th'): TalpcoLine[] | null {
  const parts = ['data', 'parallel', `talpco-${lang}.txt`];
  if (!hasShared(...parts)) return null;
  return fs
    .readFileSync(sharedPath(...parts), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const tab = line.indexOf('\t');
      return { id: line.slice(0, tab), text: line.slice(tab + 1) };
    });
}
