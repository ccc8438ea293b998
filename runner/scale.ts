// Compresses a profile for short runs (tests, CI): the run and the ramp shrink by the duration factor, the
// user count by the user factor; the spawn rate follows so that the ramp still ends on time.

export interface Phase {
  name?: string;
  duration: number;
  arrivalRate: number;
  maxVusers: number;
}

export interface Profile {
  phases: Phase[];
  runSeconds: number;
}

export interface Scale {
  duration: number;
  users: number;
}

export function scaleProfile(profile: Profile, scale: Scale): Profile {
  const phases = profile.phases.map((ph) => {
    const users = Math.max(1, Math.round(ph.maxVusers * scale.users));
    const duration = Math.max(1, Math.round(ph.duration * scale.duration));
    return { ...ph, duration, maxVusers: users, arrivalRate: Math.max(1, Math.ceil(users / duration)) };
  });
  return { phases, runSeconds: Math.max(1, Math.round(profile.runSeconds * scale.duration)) };
}

export function totalUsers(profile: Profile): number {
  return profile.phases.reduce((a, ph) => a + ph.maxVusers, 0);
}
