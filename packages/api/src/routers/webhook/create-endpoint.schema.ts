import type { z } from "zod";
import { createWebhookEndpointRequest, createWebhookEndpointResponse } from "../../schemas/webhook";

export const createWebhookEndpointInput = createWebhookEndpointRequest;
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointInput>;
export const createWebhookEndpointOutput = createWebhookEndpointResponse;
