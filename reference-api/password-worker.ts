// Runs inside the PasswordHasher's worker thread: one bcrypt operation per message.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export type HashRequest =
  | { id: number; op: 'hash'; password: string; cost: number }
  | { id: number; op: 'verify'; password: string; hash: string };

export type HashReply = { id: number; result: string | boolean } | { id: number; error: string };

parentPort?.on('message', (request: HashRequest) => {
  let reply: HashReply;
  try {
    reply = {
      id: request.id,
      result:
        request.op === 'hash'
          ? bcrypt.hashSync(request.password, request.cost)
          : bcrypt.compareSync(request.password, request.hash),
    };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
