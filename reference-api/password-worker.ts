// Runs inside the PasswordHasher's worker thread: one bcrypt operation per message.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type HashRequest =
  | { id: number; op: 'hash'; password: string; cost: number }
  | { id: number; op: 'verify'; password: string; hash: string };

export type HashReply = { id: number; result: string | boolean } | { id: number; error: string };

parentPort?.on('message', (m: HashRequest) => {
  let reply: HashReply;
  try {
    reply = {
      id: m.id,
      result: m.op === 'hash' ? bcrypt.hashSync(m.password, m.cost) : bcrypt.compareSync(m.password, m.hash),
    };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
