// Reads the profile files in scenarios/ (phases plus variables) and config/environments.yml.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../lib/root.js';
import { UsageError } from '../lib/usage-error.js';
import type { Phase, Profile } from './scale.js';

export { ROOT };
export const SCENARIOS_DIR = path.join(ROOT, 'scenarios');
export const FLOWS_FILE = path.join(SCENARIOS_DIR, 'flows.yml');
export const ENVIRONMENTS_FILE =
  process.env.BTCW_ENVIRONMENTS_FILE ?? path.join(ROOT, 'config', 'environments.yml');
export const TARGETS_FILE = path.join(ROOT, 'config', 'targets.yml');
export const WORKER_COUNT_PRELOAD = path.join(ROOT, 'lib', 'worker-count-preload.cjs');

export function profileNames(): string[] {
  // Dotfiles are a benchmark's temporary variants of flows.yml, not profiles.
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.yml') && f !== 'flows.yml' && !f.startsWith('.'))
    .map((f) => f.replace(/\.yml$/, ''))
    .sort();
}

export interface ProfileFile extends Profile {
  file: string;
  userMix: string;
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${path.relative(ROOT, file)} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

export function loadProfile(name: string): ProfileFile {
  const file = path.join(SCENARIOS_DIR, `${name}.yml`);
  if (!/^[a-z0-9-]+$/.test(name) || name === 'flows' || !existsSync(file)) {
    throw new UsageError(`unknown profile "${name}": use one of ${profileNames().join(', ')}`);
  }
  const doc = readYaml(file) as { config?: { phases?: unknown; variables?: Record<string, unknown> } } | null;
  const phases = doc?.config?.phases;
  const where = `scenarios/${name}.yml`;
  if (!Array.isArray(phases) || phases.length === 0)
    throw new UsageError(`${where}: config.phases must list at least one phase`);
  for (const [index, ph] of phases.entries()) {
    for (const key of ['duration', 'arrivalRate', 'maxVusers'] as const) {
      const value = (ph as Record<string, unknown>)[key];
      if (typeof value !== 'number' || !(value > 0))
        throw new UsageError(`${where}: config.phases[${index}].${key} must be a positive number`);
    }
  }
  const runSeconds = doc?.config?.variables?.runSeconds;
  if (typeof runSeconds !== 'number' || !(runSeconds > 0))
    throw new UsageError(`${where}: config.variables.runSeconds must be a positive number`);
  return {
    file,
    phases: phases as Phase[],
    runSeconds,
    userMix: String(doc?.config?.variables?.userMix ?? 'comprehensive'),
  };
}

export interface EnvironmentSpec {
  name: string;
  /** Literal target, or null when it comes from BTCW_TARGET. */
  target: string | null;
}

/** The environment a command runs against: --env, else BTCW_ENV, else local; an unknown one is one line. */
export function findEnvironment(requested: string | undefined, vars: NodeJS.ProcessEnv): EnvironmentSpec {
  const name = requested ?? vars.BTCW_ENV ?? 'local';
  const envs = loadEnvironments();
  const found = envs.find((env) => env.name === name);
  if (!found)
    throw new UsageError(
      `unknown environment "${name}": use one of ${envs.map((env) => env.name).join(', ')} ` +
        `(${path.relative(ROOT, ENVIRONMENTS_FILE)})`,
    );
  return found;
}

export function loadEnvironments(): EnvironmentSpec[] {
  const doc = readYaml(ENVIRONMENTS_FILE) as {
    config?: { environments?: Record<string, { target?: unknown }> };
  } | null;
  const envs = doc?.config?.environments;
  const where = path.relative(ROOT, ENVIRONMENTS_FILE);
  if (!envs || typeof envs !== 'object' || Array.isArray(envs))
    throw new UsageError(
      `${where}: config.environments is missing: map each environment name to its settings`,
    );
  for (const [name, settings] of Object.entries(envs)) {
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
      throw new UsageError(
        `${where}: config.environments.${name} must be a map of settings (target, variables)`,
      );
    if (settings.target !== undefined && typeof settings.target !== 'string')
      throw new UsageError(`${where}: config.environments.${name}.target must be a URL string`);
  }
  return Object.entries(envs).map(([name, settings]) => {
    const target = typeof settings?.target === 'string' ? settings.target : null;
    return { name, target: target !== null && !target.includes('{{') ? target : null };
  });
}
