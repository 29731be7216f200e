import type { z } from "zod";
import { createApiTokenRequest, createApiTokenResponse } from "../../schemas/api-token";

export const createApiTokenInput = createApiTokenRequest;
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;
export const createApiTokenOutput = createApiTokenResponse;
