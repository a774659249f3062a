// Every pipeline step ends with one of these, on every runner (GitHub, Jenkins, a laptop).
export const ExitCode = {
  /** Done and healthy. */
  Ok: 0,
  /** Failed, and rolled back to a healthy release (smoke-test: the gate failed, after the undo if asked). */
  RolledBack: 1,
  /** Failed, and the rollback failed too: a person is needed. */
  RollbackFailed: 2,
  /** Bad input: nothing was applied, nothing was sent. */
  InvalidInput: 3,
  /** Not started: the deploy lock is held or the cluster cannot be reached; nothing was applied. */
  NotStarted: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
