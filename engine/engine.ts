// The Artillery engine interface (loadEngines: `new Engine(script, ee, helpers)`, `createScenario(spec, ee)`
// returning `(context, callback)`). This first form runs a scenario's plain request steps in a loop until
// the scenario's deadline, with Locust semantics: a failed request is counted and the user goes on; only a
// refused login (a 4xx other than 408/429) ends the user, counted under btcw.users_stopped.login_failed.
import { USERS_STOPPED } from '../lib/metrics.js';
import { LOGIN_FAILED } from '../processors/login-retry.js';
import { login } from './login.js';
import { type Emitter, type Outgoing, send } from './request.js';

export interface PlainStep {
  name: string;
  method: Outgoing['method'];
  path: string;
  login?: true;
  thinkMs?: number;
}

export interface PlainScenario {
  flow: PlainStep[];
  /** How long the user runs, in ms. */
  durationMs: number;
}

interface Script {
  config: { target: string; http?: { timeout?: number } };
}

type Done = (err: Error | null, context: unknown) => void;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BtcwEngine {
  private readonly origin: string;
  private readonly timeoutMs: number;

  constructor(script: Script) {
    this.origin = new URL(script.config.target).origin;
    this.timeoutMs = (script.config.http?.timeout ?? 30) * 1000;
  }

  createScenario(spec: PlainScenario, ee: Emitter & { emit(e: 'started'): unknown }) {
    return (context: { vars?: Record<string, unknown> }, done: Done): void => {
      ee.emit('started');
      this.runUser(spec, ee).then(
        () => done(null, context),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err)), context),
      );
    };
  }

  private async runUser(spec: PlainScenario, ee: Emitter): Promise<void> {
    const deadlineMs = Date.now() + spec.durationMs;
    let token: string | undefined;
    while (Date.now() < deadlineMs) {
      for (const step of spec.flow) {
        if (Date.now() >= deadlineMs) return;
        const req: Outgoing = {
          name: step.name,
          method: step.method,
          path: step.path,
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
          timeoutMs: this.timeoutMs,
        };
        if (step.login) {
          const r = await login(req, { origin: this.origin, ee, random: Math.random, deadlineMs });
          if (!r.ok) {
            if (r.why === 'not-retryable') {
              ee.emit('counter', `${USERS_STOPPED}${LOGIN_FAILED}`, 1);
              return;
            }
            continue;
          }
          token = (JSON.parse(r.outcome.body) as { access_token?: string }).access_token;
        } else {
          await send(this.origin, req, ee);
        }
        if (step.thinkMs) await sleep(Math.min(step.thinkMs, Math.max(0, deadlineMs - Date.now())));
      }
    }
  }
}

export default BtcwEngine;
