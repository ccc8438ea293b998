// What the btcw engine emits, kept for assertions: counters summed by name, histogram names, and the
// other events (a user's 'started', say) in order.
export interface EmitRecorder {
  counters: Map<string, number>;
  histograms: string[];
  events: string[];
  emit(kind: string, name?: string, value?: number): void;
}

export function emitRecorder(): EmitRecorder {
  const counters = new Map<string, number>();
  const histograms: string[] = [];
  const events: string[] = [];
  return {
    counters,
    histograms,
    events,
    emit(kind, name, value) {
      if (kind === 'counter' && name) counters.set(name, (counters.get(name) ?? 0) + (value ?? 0));
      else if (kind === 'histogram' && name) histograms.push(name);
      else events.push(kind);
    },
  };
}
