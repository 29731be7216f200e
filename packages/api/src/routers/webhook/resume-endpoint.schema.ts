import type { z } from "zod";
import { resumeWebhookEndpointRequest, resumeWebhookEndpointResponse } from "../../schemas/webhook";

export const resumeWebhookEndpointInput = resumeWebhookEndpointRequest;
export type ResumeWebhookEndpointInput = z.infer<typeof resumeWebhookEndpointInput>;
export const resumeWebhookEndpointOutput = resumeWebhookEndpointResponse;
