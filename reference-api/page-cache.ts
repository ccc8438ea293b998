// Serialized responses valid for one data version: any write bumps the version and empties the cache, so a
// cached page is always what a fresh query would return.

const MAX_ENTRIES = 1000;

export class PageCache {
  private version = -1;
  private readonly pages = new Map<string, string>();

  get(version: number, key: string, build: () => string): string {
    if (version !== this.version) {
      this.pages.clear();
      this.version = version;
    }
    let page = this.pages.get(key);
    if (page === undefined) {
      page = build();
      if (this.pages.size >= MAX_ENTRIES) this.pages.clear();
      this.pages.set(key, page);
    }
    return page;
  }
}
