// Headless Chromium for the report's browser test and `npm run report:screenshot`, driven by playwright-core
// (Playwright's own browser download is never used). BTCW_CHROMIUM chooses the browser:
//   unset   the Chromium inside the npm package @sparticuz/chromium, which `npm ci` installs, so the tests
//           run the same browser on every machine. If that one cannot start (it is a Linux x64 build) and
//           /usr/bin/chromium exists, that one, with a warning on stderr.
//   npm     the npm package's Chromium only, never a fallback.
//   a path  that browser only (e.g. /usr/bin/chromium, Debian's package).
// The npm package holds Chromium brotli-compressed. The first launch unpacks it (about 2 s, 215 MB) into
// <tmpdir>/btcw-chromium-<version>-<uid>/, and later launches reuse that folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const NPM_CHROMIUM = '@sparticuz/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  // Playwright gives each launch a fresh temporary profile (it refuses an explicit --user-data-dir here).
  '--disable-component-update',
  '--disable-sync',
];

/** Where the browser came from: the npm package, the fallback /usr/bin/chromium, or BTCW_CHROMIUM's path. */
export type ChromiumSource = 'npm' | 'system' | 'BTCW_CHROMIUM';

export interface LaunchedChromium {
  browser: Browser;
  source: ChromiumSource;
  executablePath: string;
}

export interface LaunchOptions {
  /** `npm`, a path, or nothing for the default order; BTCW_CHROMIUM unless given. */
  choice?: string | undefined;
  /** Where the fallback's warning goes (stderr unless given). */
  warn?: (line: string) => void;
  /** For tests: the fallback browser (SYSTEM_CHROMIUM), and what gets the npm one (unpackNpmChromium). */
  system?: string;
  unpack?: () => Promise<Unpacked>;
}

export interface Unpacked {
  executablePath: string;
  /** FONTCONFIG_PATH for this browser: the system's fonts where there are any, and the package's fonts. */
  fontconfigDir: string;
}

function fontsConf(dir: string): string {
  const escapeXml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${escapeXml(path.join(dir, 'fonts', 'fonts'))}</dir>
  <cachedir>${escapeXml(path.join(dir, 'fontconfig-cache'))}</cachedir>
</fontconfig>
`;
}

/**
 * The npm package's Chromium, unpacked once per package version and user. The package unpacks into
 * os.tmpdir() itself and takes whatever it finds there, even a half-written file, so it runs in a child
 * process whose TMPDIR is a fresh folder, which is renamed into place (atomically) when complete.
 */
export async function unpackNpmChromium(): Promise<Unpacked> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`${NPM_CHROMIUM} is a Linux x64 build (this is ${process.platform} ${process.arch})`);
  const entry = import.meta.resolve(NPM_CHROMIUM);
  const pkgFile = path.join(path.dirname(fileURLToPath(entry)), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  const dir = path.join(os.tmpdir(), `btcw-chromium-${version}-${process.getuid?.() ?? 'user'}`);
  const unpacked = { executablePath: path.join(dir, 'chromium'), fontconfigDir: dir };
  const complete = () => existsSync(unpacked.executablePath) && existsSync(path.join(dir, 'fonts.conf'));
  if (complete()) return unpacked;
  rmSync(dir, { recursive: true, force: true }); // a folder that a temp cleaner has emptied in part
  const staging = mkdtempSync(`${dir}.partial-`);
  try {
    const script = `const { default: c } = await import(process.env.BTCW_CHROMIUM_ENTRY);
      const p = await c.executablePath(); if (p !== process.env.TMPDIR + '/chromium') throw new Error(p);`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: staging, BTCW_CHROMIUM_ENTRY: entry },
    });
    writeFileSync(path.join(staging, 'fonts.conf'), fontsConf(dir));
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!complete()) throw error; // otherwise another process unpacked it first
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return unpacked;
}

async function launch(executablePath: string, env: Record<string, string> = {}): Promise<Browser> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return chromium.launch({ executablePath, args: ARGS, env: { ...base, ...env } });
}

const firstLine = (e: unknown) => String((e as Error).message ?? e).split('\n')[0];

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const choice = 'choice' in options ? options.choice : process.env.BTCW_CHROMIUM;
  const warn = options.warn ?? ((line: string) => console.error(line));
  const system = options.system ?? SYSTEM_CHROMIUM;
  if (choice && choice !== 'npm') {
    if (!existsSync(choice)) throw new Error(`BTCW_CHROMIUM=${choice}: no such file`);
    return { browser: await launch(choice), source: 'BTCW_CHROMIUM', executablePath: choice };
  }
  try {
    const npm = await (options.unpack ?? unpackNpmChromium)();
    const browser = await launch(npm.executablePath, { FONTCONFIG_PATH: npm.fontconfigDir });
    return { browser, source: 'npm', executablePath: npm.executablePath };
  } catch (error) {
    const why = `the Chromium of the npm package ${NPM_CHROMIUM} did not start: ${firstLine(error)}`;
    if (choice === 'npm') throw new Error(`${why} (BTCW_CHROMIUM=npm allows no other browser)`);
    if (!existsSync(system))
      throw new Error(
        `${why}; no ${system} either: install a Chromium (Debian: apt-get install -y chromium) ` +
          'or set BTCW_CHROMIUM to one',
      );
    warn(`${why}; using ${system} instead`);
    return { browser: await launch(system), source: 'system', executablePath: system };
  }
}
