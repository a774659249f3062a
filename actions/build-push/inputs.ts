// build-push's inputs: the `with:` names of action.yml and the CLI flags (`--<name>`) alike.

import { azureSecretEnv } from "../lib/azure/credential.ts";
import type { InputSpec } from "../lib/entry/definition.ts";

export const buildPushInputs: readonly InputSpec[] = [
  { name: "context", description: "Build context folder.", default: "." },
  { name: "dockerfile", description: "Dockerfile, relative to the context.", default: "Dockerfile" },
  {
    name: "registry",
    description: "Registry host[:port], e.g. myacr.azurecr.io or 127.0.0.1:5000.",
    required: true,
  },
  { name: "repository", description: "Repository in the registry, e.g. cloudjobhunt/api.", required: true },
  {
    name: "registry-kind",
    description:
      "acr (Azure identity from AZURE_*, exchanged for an ACR token) or basic (REGISTRY_USERNAME/PASSWORD).",
    default: "acr",
  },
  { name: "sha", description: "Commit SHA, the image's tag (default GITHUB_SHA, then GIT_COMMIT)." },
  { name: "version", description: "Release version, tagged as well when given." },
  { name: "build-args", description: "NAME=value build arguments, one per line.", kind: "multiline" },
  { name: "network", description: "Network for RUN steps (host where the engine has no bridge)." },
  // A value rather than a flag, so that the CLI can say `--push false` as the workflow says `push: false`.
  { name: "push", description: "true, or false: build and tag only.", default: "true" },
];

export const buildPushSecretEnv: readonly string[] = [...azureSecretEnv, "REGISTRY_PASSWORD"];
