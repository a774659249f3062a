/** Whether this replica should get traffic; flips to false for good when shutdown starts. */
export class Readiness {
  #shuttingDown = false;

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  startShutdown(): void {
    this.#shuttingDown = true;
  }
}
