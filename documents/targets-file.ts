// The targets file (config/targets.yml or the user's): read, parsed and validated, one line on anything
// wrong. The schema and the resolution per profile are grading's (grading/targets.ts).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Targets, TargetsError, validateTargets } from '../grading/targets.js';

export function loadTargets(file: string): Targets {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TargetsError(
      `cannot read targets file ${file}: check the path (plugins.btcw-targets.targets or BTCW_TARGETS_FILE)`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new TargetsError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return validateTargets(raw, file);
}
