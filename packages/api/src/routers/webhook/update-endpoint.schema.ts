import type { z } from "zod";
import { updateWebhookEndpointRequest, updateWebhookEndpointResponse } from "../../schemas/webhook";

export const updateWebhookEndpointInput = updateWebhookEndpointRequest;
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointInput>;
export const updateWebhookEndpointOutput = updateWebhookEndpointResponse;
