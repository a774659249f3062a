/**
 * The searches every search contender runs, in rotation: full-text terms alone and with each filter, so the
 * figures cover the index paths a real user hits. Expressed as the API's query-string parameters.
 */
export const searchQueries: readonly Readonly<Record<string, string>>[] = [
  { q: "kubernetes" },
  { q: "terraform azure" },
  { q: "site reliability" },
  { q: "platform engineer", remote: "true" },
  { q: "devops", location: "Paris" },
  { q: "cloud architect", seniority: "senior" },
  { q: "python", skill: "aws" },
  { q: "monitoring", postedSince: "2026-10-01T00:00:00Z" },
  { q: "security engineer", location: "Berlin", remote: "false" },
  { q: "helm argocd", seniority: "lead" },
  { q: "data engineer", skill: "kafka", remote: "true" },
  { q: "postgresql" },
  { location: "Lyon" },
  { skill: "go", seniority: "mid" },
  { remote: "true", postedSince: "2026-09-15T00:00:00Z" },
  { q: "network", location: "London", postedSince: "2026-08-01T00:00:00Z" },
];

export function searchPath(query: Readonly<Record<string, string>>): string {
  return `/jobs?${new URLSearchParams(query)}`;
}
