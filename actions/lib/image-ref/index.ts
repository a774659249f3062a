export { anchoredDigestRegExp, referenceRegExp } from "./grammar.ts";
export {
  digestProblem,
  formatImageReference,
  type ImageReference,
  ImageReferenceError,
  parseImageReference,
  registryHostProblem,
  repositoryProblem,
  tagProblem,
} from "./parse.ts";
