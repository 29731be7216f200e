export {
  type CheckedKind,
  CredentialCheck,
  type CredentialForm,
  credentialCheckKeyLength,
  legacyCredentialLength,
} from "./credential-check";
export { type DevelopmentSecretFile, readOrCreateDevelopmentSecret } from "./development-secret-file";
export { constantTimeEqual, sha256 } from "./digest";
export { generateSecret, keyPrefixes, tokenDisplayPrefix } from "./key-material";
export {
  formatMasterKey,
  type LoadMasterKeyringOptions,
  loadMasterKeyring,
  MasterKeyConfigError,
  type MasterKeyring,
  parseMasterKeys,
} from "./master-keyring";
export { hashPassword, verifyPassword } from "./password";
export { openSecret, type SealedSecret, SecretDecryptionError, sealSecret } from "./secret-box";
