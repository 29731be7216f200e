import type { z } from "zod";
import { listWebhookEndpointsRequest, listWebhookEndpointsResponse } from "../../schemas/webhook";

export const listWebhookEndpointsInput = listWebhookEndpointsRequest;
export type ListWebhookEndpointsInput = z.infer<typeof listWebhookEndpointsInput>;
export const listWebhookEndpointsOutput = listWebhookEndpointsResponse;
