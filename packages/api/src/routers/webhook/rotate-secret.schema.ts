import type { z } from "zod";
import { rotateWebhookSecretRequest, rotateWebhookSecretResponse } from "../../schemas/webhook";

export const rotateWebhookSecretInput = rotateWebhookSecretRequest;
export type RotateWebhookSecretInput = z.infer<typeof rotateWebhookSecretInput>;
export const rotateWebhookSecretOutput = rotateWebhookSecretResponse;
