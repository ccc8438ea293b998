// The webhook's strength rule (api-contract §4): inclusive thresholds, each key falling back to its default.

export type StrengthLevel = 'strong' | 'medium' | 'weak' | 'ignore';

export const DEFAULT_THRESHOLDS = { strong: 0.8, medium: 0.6, weak: 0.4 } as const;
export const DEFAULT_SIGNAL_STRENGTH = 0.5;

function threshold(thresholds: Record<string, unknown>, key: keyof typeof DEFAULT_THRESHOLDS): number {
  const value = thresholds[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_THRESHOLDS[key];
}

export function strengthLevel(strength: number, thresholds: Record<string, unknown>): StrengthLevel {
  if (strength >= threshold(thresholds, 'strong')) return 'strong';
  if (strength >= threshold(thresholds, 'medium')) return 'medium';
  if (strength >= threshold(thresholds, 'weak')) return 'weak';
  return 'ignore';
}
