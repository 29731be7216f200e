/** What an identity provider vouched for: a verified email (canonical, see account-email.ts) and a display name. */
export interface ExternalProfile {
  email: string;
  /** As the provider sent it; the account store cleans and caps it (or uses the email). */
  name: string | undefined;
}

/**
 * The account an external sign-in signs in to: the one with the email, or a new one without a workspace. Given
 * to the Auth.js config by the server (the API's services hold it), so that the name is cleaned by the same
 * storable-text rule as every other name.
 */
export interface ExternalAccounts {
  signIn(profile: ExternalProfile): Promise<ExternalAccount>;
}

export interface ExternalAccount {
  id: string;
  email: string;
  name: string;
}
