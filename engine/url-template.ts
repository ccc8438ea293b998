// A request URL's `{{ name }}` and `{{ name.key }}` templates, split once when the classes are compiled, so
// a request costs string joins and no parsing or regex.

type Part = string | readonly [string] | readonly [string, string];

export class UrlTemplate {
  private readonly parts: readonly Part[];

  constructor(source: string) {
    const parts: Part[] = [];
    let at = 0;
    for (const m of source.matchAll(/\{\{\s*([\w$]+)(?:\.([\w$-]+))?\s*\}\}/g)) {
      if (m.index > at) parts.push(source.slice(at, m.index));
      parts.push(m[2] === undefined ? [m[1]!] : [m[1]!, m[2]]);
      at = m.index + m[0].length;
    }
    if (at < source.length) parts.push(source.slice(at));
    this.parts = parts;
  }

  /** The URL with the user's variables filled in (a missing one reads as empty, as Artillery's does). */
  render(vars: Record<string, unknown>): string {
    let out = '';
    for (const p of this.parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = p.length === 1 ? vars[p[0]] : (vars[p[0]] as Record<string, unknown> | undefined)?.[p[1]];
        if (v !== undefined && v !== null) out += String(v);
      }
    }
    return out;
  }
}
