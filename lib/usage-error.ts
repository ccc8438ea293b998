// The one error for bad input (a flag, a profile, a file the user named): the top-level handler prints its
// message as one line and exits 2, without a stack trace.
export class UsageError extends Error {}
