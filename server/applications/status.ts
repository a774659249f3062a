export const STATUSES = ["saved", "applied", "interviewing", "offer", "rejected", "withdrawn"] as const;
export type ApplicationStatus = (typeof STATUSES)[number];

/** Forward through the hiring steps; rejected or withdrawn from any open step; both are final. */
const NEXT: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  saved: ["applied", "withdrawn"],
  applied: ["interviewing", "rejected", "withdrawn"],
  interviewing: ["offer", "rejected", "withdrawn"],
  offer: ["rejected", "withdrawn"],
  rejected: [],
  withdrawn: [],
};

export function canMove(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return NEXT[from].includes(to);
}

export function allowedNext(from: ApplicationStatus): readonly ApplicationStatus[] {
  return NEXT[from];
}
