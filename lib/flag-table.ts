// A command's flags, declared once: the parser's options, the option lines of its --help and the names
// "did you mean" chooses from are all made from one table, so help and parser cannot disagree. Bad flags
// are one UsageError line, never Node's parseArgs text.
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

export interface Flag<
  Name extends string = string,
  Type extends 'string' | 'boolean' = 'string' | 'boolean',
> {
  /** Without the dashes: `duration-factor`. */
  name: Name;
  /** One letter, given as `-e`. */
  short?: string;
  type: Type;
  /** What the help calls the value (`N`, `F`, `NAME`, `[PORT]`); string flags only. */
  value?: string;
  /** The explanation; each further line continues it under the first. */
  help: string;
  /** The environment variable read when the flag is not given (its help names it too). */
  env?: string;
}

/** Declared `as const satisfies FlagTable`, so that what it parses to is typed by flag (FlagValues). */
export type FlagTable = readonly Flag[];

/**
 * What parseFlags gives for a table: each flag under its name, a string or true, absent when not given. A
 * name the table does not hold does not compile.
 */
export type FlagValues<Table extends FlagTable> = {
  [F in Table[number] as F['name']]?: ValueOf<F['type']>;
};
type ValueOf<Type> = Type extends 'boolean' ? boolean : Type extends 'string' ? string : never;

/** Every command takes it; the dispatcher answers it before the command runs. */
export const HELP_FLAG = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  help: 'this help',
} as const satisfies Flag;

/** The column the explanations start at, after two spaces of indent: as wide as `--dashboard-host HOST`. */
const LABEL_WIDTH = 21;

type ParserOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The table as parseArgs' `options`. */
export function parserOptions(table: FlagTable): ParserOptions {
  const options: ParserOptions = {};
  for (const flag of table) {
    if (Object.hasOwn(options, flag.name)) throw new Error(`--${flag.name} is declared twice`);
    options[flag.name] =
      flag.short === undefined ? { type: flag.type } : { type: flag.type, short: flag.short };
  }
  return options;
}

const label = (flag: Flag) =>
  `${flag.short === undefined ? '' : `-${flag.short}, `}--${flag.name}` +
  `${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`;

/** The help's option lines: the flag and its value, its explanation, continued lines aligned under it. */
export function optionLines(table: FlagTable): string {
  const width = Math.max(LABEL_WIDTH, ...table.map((flag) => label(flag).length));
  return table
    .flatMap((flag) =>
      flag.help
        .split('\n')
        .map((line, index) => `  ${(index === 0 ? label(flag) : '').padEnd(width)}  ${line}`.trimEnd()),
    )
    .join('\n');
}

/** The flags' long names, as typed: `--env`. */
export const flagNames = (table: FlagTable): string[] => table.map((flag) => `--${flag.name}`);

/** The table without the named flags; naming one it does not hold is a mistake in the code. */
export function withoutFlags<Table extends FlagTable, Name extends Table[number]['name']>(
  table: Table,
  names: readonly `--${Name}`[],
): Array<Exclude<Table[number], { name: Name }>> {
  const named: readonly string[] = names;
  for (const name of named)
    if (!table.some((flag) => `--${flag.name}` === name)) throw new Error(`${name} is not in the table`);
  return table.filter(
    (flag): flag is Exclude<Table[number], { name: Name }> => !named.includes(`--${flag.name}`),
  );
}

/**
 * Optimal string alignment distance (Damerau-Levenshtein without moving a letter twice): insertions,
 * deletions, substitutions and swaps of two adjacent letters each count 1.
 */
export function editDistance(left: string, right: string): number {
  const rows: number[][] = [Array.from({ length: right.length + 1 }, (_, index) => index)];
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    const above = rows[row - 1]!;
    for (let col = 1; col <= right.length; col++) {
      const same = left[row - 1] === right[col - 1];
      let best = Math.min(above[col]! + 1, current[col - 1]! + 1, above[col - 1]! + (same ? 0 : 1));
      if (row > 1 && col > 1 && left[row - 1] === right[col - 2] && left[row - 2] === right[col - 1])
        best = Math.min(best, rows[row - 2]![col - 2]! + 1);
      current[col] = best;
    }
    rows.push(current);
  }
  return rows[left.length]![right.length]!;
}

/** The nearest known word, when it is near enough to be what was meant. */
export function didYouMean(word: string, known: readonly string[]): string | null {
  const bare = (text: string) => text.replace(/^-+/, '').replaceAll('-', '');
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const gap = editDistance(bare(word), bare(candidate));
    if (gap < bestDistance) [best, bestDistance] = [candidate, gap];
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(bare(word).length / 4)) ? best : null;
}

export interface ParsedFlags<Table extends FlagTable = FlagTable> {
  values: FlagValues<Table>;
  positionals: string[];
}

export interface ParseOptions {
  /** Words that are not flags are allowed (default true). */
  positionals?: boolean;
  /** Flags of a related command this one refuses (`--baseline`), with the one line that says why. */
  refused?: ReadonlyMap<string, string>;
  /** What follows any other parse error's line (default " (see --help)"). */
  suffix?: string;
}

function unknownFlag(raw: string, table: FlagTable, refused: ReadonlyMap<string, string>): UsageError {
  const why = refused.get(raw);
  if (why !== undefined) return new UsageError(why);
  const near = raw.startsWith('--') ? didYouMean(raw, [...flagNames(table), ...refused.keys()]) : null;
  if (near === null) return new UsageError(`unknown option ${raw} (see --help)`);
  const nearWhy = refused.get(near);
  return new UsageError(
    nearWhy === undefined
      ? `unknown option ${raw}: did you mean ${near}? (see --help)`
      : `unknown option ${raw} (${nearWhy})`,
  );
}

/** parseArgs over the table alone; an unknown flag is named with the nearest known one. */
export function parseFlags<Table extends FlagTable>(
  table: Table,
  args: readonly string[],
  options: ParseOptions = {},
): ParsedFlags<Table> {
  const parserTable = parserOptions(table);
  const { tokens } = parseArgs({
    args: [...args],
    options: parserTable,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(parserTable, token.name))
      throw unknownFlag(token.rawName, table, options.refused ?? new Map());
    // `--start` last, or followed by another flag: parseArgs would say "argument missing" or "ambiguous".
    if (
      parserTable[token.name]!.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
    )
      throw new UsageError(`${token.rawName} needs a value (see --help)`);
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: parserTable,
      strict: true,
      allowPositionals: options.positionals ?? true,
    });
    // parseArgs types its values by the options it was given; the table types them by flag.
    return { values: values as FlagValues<Table>, positionals };
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}${options.suffix ?? ' (see --help)'}`);
  }
}
