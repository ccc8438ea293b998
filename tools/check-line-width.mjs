// Biome's formatter wraps code at 110 columns but leaves long strings and comments alone; this keeps those
// within the same width, so every file reads in a side-by-side diff. Prints file:line for each long line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const WIDTH = 110;
const files = execFileSync(
  'git',
  ['ls-files', '-co', '--exclude-standard', '*.ts', '*.js', '*.mjs', '*.cjs', '*.yml'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  // flows.yml is generated: a test keeps it equal to the generator's output, long URLs included.
  .filter((f) => f !== '' && !f.startsWith('node_modules/') && f !== 'scenarios/flows.yml');
let long = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    if (line.length > WIDTH) {
      long++;
      console.log(`${file}:${i + 1}: ${line.length} columns (at most ${WIDTH}): wrap the string or comment`);
    }
  });
}
if (long > 0) {
  console.log(`${long} lines longer than ${WIDTH} columns`);
  process.exit(1);
}
