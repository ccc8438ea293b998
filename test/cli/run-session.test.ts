// The one lifecycle's signal handling, on plain node children (no Artillery): a signal this process gets
// reaches every running child and ends the run INTERRUPTED with its own exit code; a child killed by a
// signal nobody here sent is KILLED (exit 137), not mistaken for a SIGTERM.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../grading/exit-codes.js';
import { RunSession } from '../../runner/session.js';

const SLEEPER = ['-e', 'setTimeout(() => {}, 60_000)'];

describe('run session', () => {
  it('names a child killed from outside: KILLED, exit 137', async () => {
    const session = new RunSession(() => {});
    try {
      const { child, ended } = session.spawn(SLEEPER, { stdio: 'ignore' });
      child.kill('SIGKILL'); // as the OOM killer would: not through the session
      const end = await ended;
      assert.equal(end.stop?.kind, 'KILLED');
      assert.equal(end.stop?.exitCode, EXIT.ARTILLERY_KILLED);
      assert.equal(end.stop?.line, 'Artillery ended by SIGKILL (out of memory?)');
      assert.equal(session.interrupted, null);
    } finally {
      await session.close();
    }
  });

  it('forwards SIGTERM to every child once and ends INTERRUPTED with 143', async () => {
    const session = new RunSession(() => {});
    try {
      const runs = [session.spawn(SLEEPER, { stdio: 'ignore' }), session.spawn(SLEEPER, { stdio: 'ignore' })];
      process.emit('SIGTERM', 'SIGTERM'); // what the process receives from `timeout` or a cancelled CI job
      const ends = await Promise.all(runs.map((run) => run.ended));
      for (const end of ends) {
        assert.equal(end.stop?.kind, 'INTERRUPTED');
        assert.equal(end.stop?.exitCode, EXIT.INTERRUPTED_SIGTERM);
      }
      assert.equal(session.interruption?.exitCode, 143);
      // a child started after the signal is stopped at once
      const late = await session.spawn(SLEEPER, { stdio: 'ignore' }).ended;
      assert.equal(late.stop?.kind, 'INTERRUPTED');
    } finally {
      await session.close();
    }
    assert.equal(process.listenerCount('SIGTERM'), 0, 'the session gives the signal back');
  });

  it("the dashboard's Stop is the Ctrl-C path: INTERRUPTED with 130", async () => {
    const session = new RunSession(() => {});
    try {
      const { ended } = session.spawn(SLEEPER, { stdio: 'ignore' });
      session.interrupt('SIGINT');
      assert.equal((await ended).stop?.exitCode, EXIT.INTERRUPTED_SIGINT);
    } finally {
      await session.close();
    }
  });
});
