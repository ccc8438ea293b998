// A request URL's `{{ name }}` and `{{ name.key }}` templates, split once when the classes are compiled, so
// a request costs string joins and no parsing or regex.

type Part = string | readonly [string] | readonly [string, string];

export class UrlTemplate {
  private readonly parts: readonly Part[];

  constructor(source: string) {
    const parts: Part[] = [];
    let at = 0;
    for (const found of source.matchAll(/\{\{\s*([\w$]+)(?:\.([\w$-]+))?\s*\}\}/g)) {
      if (found.index > at) parts.push(source.slice(at, found.index));
      parts.push(found[2] === undefined ? [found[1]!] : [found[1]!, found[2]]);
      at = found.index + found[0].length;
    }
    if (at < source.length) parts.push(source.slice(at));
    this.parts = parts;
  }

  /** The URL with the user's variables filled in (a missing one reads as empty, as Artillery's does). */
  render(vars: Record<string, unknown>): string {
    let out = '';
    for (const part of this.parts) {
      if (typeof part === 'string') out += part;
      else {
        const value =
          part.length === 1
            ? vars[part[0]]
            : (vars[part[0]] as Record<string, unknown> | undefined)?.[part[1]];
        if (value !== undefined && value !== null) out += String(value);
      }
    }
    return out;
  }
}
