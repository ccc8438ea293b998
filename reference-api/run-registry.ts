// The runs using this API, so an embedded API that one run started outlives it while another run on the
// same machine still uses it. Each run registers under an id of its own with its process id; a run that
// died without saying goodbye is dropped once its process is gone.

/** Whether a process of this machine is alive (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunRegistry {
  private readonly runs = new Map<string, number>();
  /** Whether any run ever registered: an API nobody has used yet is not idle, only not yet in use. */
  private used = false;

  constructor(private readonly isAlive: (pid: number) => boolean = alive) {}

  add(id: string, pid: number): void {
    this.runs.set(id, pid);
    this.used = true;
  }

  remove(id: string): void {
    this.runs.delete(id);
  }

  /** The ids of the runs still using the API, after dropping those whose process has ended. */
  live(): string[] {
    for (const [id, pid] of this.runs) if (!this.isAlive(pid)) this.runs.delete(id);
    return [...this.runs.keys()];
  }

  /** Used once, and no run uses it now. */
  idle(): boolean {
    return this.used && this.live().length === 0;
  }
}
