// Checks an env file (config/<env>.env) before Node loads it. In an env file an unquoted `#` starts a
// comment even inside a word, so `BTCW_PASSWORD=ab#cd` loads as "ab" and the user sees only a refused
// login. A `#` after a space is taken as a comment the author meant.

/**
 * The first value in `text` that a `#` inside it would cut short, as one line naming the file, the line
 * and the key, and the fix; null when there is none. The value itself is never shown: it may be a secret.
 */
export function envFileProblem(text: string, label: string): string | null {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(lines[index]!);
    if (!match) continue;
    const [, key, value] = match as unknown as [string, string, string];
    if (/^['"`]/.test(value)) continue;
    const cut = /\S#/.exec(value);
    if (cut === null) continue;
    const kept = cut.index + 1;
    return (
      `${label}:${index + 1}: the value of ${key} has a "#" inside it, ` +
      'which starts a comment in an env file, ' +
      `so only its first ${kept} characters would be read: put the value in single quotes (${key}='...')`
    );
  }
  return null;
}
