import type { z } from "zod";
import { deleteWebhookEndpointRequest, deleteWebhookEndpointResponse } from "../../schemas/webhook";

export const deleteWebhookEndpointInput = deleteWebhookEndpointRequest;
export type DeleteWebhookEndpointInput = z.infer<typeof deleteWebhookEndpointInput>;
export const deleteWebhookEndpointOutput = deleteWebhookEndpointResponse;
