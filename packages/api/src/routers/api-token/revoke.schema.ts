import type { z } from "zod";
import { apiTokenDto, revokeApiTokenRequest } from "../../schemas/api-token";

export const revokeApiTokenInput = revokeApiTokenRequest;
export type RevokeApiTokenInput = z.infer<typeof revokeApiTokenInput>;
export const revokeApiTokenOutput = apiTokenDto;
