export { AcrLoginError, acrRefreshToken, acrScope, acrTokenUser } from "./acr-exchange.ts";
export {
  type AzureCredentialKind,
  type AzureCredentialOptions,
  azureCredential,
  azureCredentialOptions,
  azureSecretEnv,
  type CredentialChoice,
} from "./credential.ts";
