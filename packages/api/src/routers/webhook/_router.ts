import { domainErrors } from "../../errors/domain-errors";
import { maxWebhookEndpointsPerWorkspace } from "../../schemas/webhook";
import { protectedProcedure } from "../../trpc";
import { createWebhookEndpointHandler } from "./create-endpoint.handler";
import { createWebhookEndpointInput, createWebhookEndpointOutput } from "./create-endpoint.schema";
import { deleteWebhookEndpointHandler } from "./delete-endpoint.handler";
import { deleteWebhookEndpointInput, deleteWebhookEndpointOutput } from "./delete-endpoint.schema";
import { listWebhookDeliveriesHandler } from "./list-deliveries.handler";
import { listWebhookDeliveriesInput, listWebhookDeliveriesOutput } from "./list-deliveries.schema";
import { listWebhookEndpointsHandler } from "./list-endpoints.handler";
import { listWebhookEndpointsInput, listWebhookEndpointsOutput } from "./list-endpoints.schema";
import { resendWebhookDeliveryHandler } from "./resend-delivery.handler";
import { resendWebhookDeliveryInput, resendWebhookDeliveryOutput } from "./resend-delivery.schema";
import { resumeWebhookEndpointHandler } from "./resume-endpoint.handler";
import { resumeWebhookEndpointInput, resumeWebhookEndpointOutput } from "./resume-endpoint.schema";
import { rotateWebhookSecretHandler } from "./rotate-secret.handler";
import { rotateWebhookSecretInput, rotateWebhookSecretOutput } from "./rotate-secret.schema";
import { updateWebhookEndpointHandler } from "./update-endpoint.handler";
import { updateWebhookEndpointInput, updateWebhookEndpointOutput } from "./update-endpoint.schema";

const tags = ["Webhooks"];

/** What every webhook procedure answers a caller who may not manage the workspace's webhooks. */
const accessErrors = [
  domainErrors.workspaceNotFound,
  () => domainErrors.webhooksNeedAdmin("MEMBER"),
  domainErrors.gatewayTokenOnlyVerifies,
];
const endpointErrors = [...accessErrors, domainErrors.webhookEndpointNotFound];
const urlRefused = () =>
  domainErrors.webhookUrlRefused(
    "The webhook URL's host localhost is not a public address, nor a name that resolves only to public addresses.",
  );

export const webhookProcedures = {
  listWebhookEndpoints: protectedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/{workspaceId}/webhook",
        tags,
        summary: "List a workspace's webhook endpoints",
      },
      errors: accessErrors,
    })
    .input(listWebhookEndpointsInput)
    .output(listWebhookEndpointsOutput)
    .query(listWebhookEndpointsHandler),

  createWebhookEndpoint: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/{workspaceId}/webhook",
        tags,
        summary: "Register a webhook endpoint; its signing secret is in this answer only",
      },
      successStatus: 201,
      errors: [
        ...accessErrors,
        () => domainErrors.tooManyWebhookEndpoints(maxWebhookEndpointsPerWorkspace),
        urlRefused,
      ],
    })
    .input(createWebhookEndpointInput)
    .output(createWebhookEndpointOutput)
    .mutation(createWebhookEndpointHandler),

  updateWebhookEndpoint: protectedProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/workspace/{workspaceId}/webhook/{endpointId}",
        tags,
        summary: "Change a webhook endpoint's URL or events",
      },
      errors: [...endpointErrors, urlRefused],
    })
    .input(updateWebhookEndpointInput)
    .output(updateWebhookEndpointOutput)
    .mutation(updateWebhookEndpointHandler),

  deleteWebhookEndpoint: protectedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/workspace/{workspaceId}/webhook/{endpointId}",
        tags,
        summary: "Delete a webhook endpoint; its queued deliveries are not sent",
      },
      errors: endpointErrors,
    })
    .input(deleteWebhookEndpointInput)
    .output(deleteWebhookEndpointOutput)
    .mutation(deleteWebhookEndpointHandler),

  rotateWebhookSecret: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/{workspaceId}/webhook/{endpointId}/rotate-secret",
        tags,
        summary: "Replace a webhook endpoint's signing secret; the new one is in this answer only",
      },
      errors: endpointErrors,
    })
    .input(rotateWebhookSecretInput)
    .output(rotateWebhookSecretOutput)
    .mutation(rotateWebhookSecretHandler),

  resumeWebhookEndpoint: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/{workspaceId}/webhook/{endpointId}/resume",
        tags,
        summary: "Send to a paused webhook endpoint again (it pauses after too many failed attempts in a row)",
      },
      errors: endpointErrors,
    })
    .input(resumeWebhookEndpointInput)
    .output(resumeWebhookEndpointOutput)
    .mutation(resumeWebhookEndpointHandler),

  listWebhookDeliveries: protectedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/workspace/{workspaceId}/webhook/{endpointId}/delivery",
        tags,
        summary: "A webhook endpoint's delivery log, newest first, by pages",
      },
      errors: endpointErrors,
    })
    .input(listWebhookDeliveriesInput)
    .output(listWebhookDeliveriesOutput)
    .query(listWebhookDeliveriesHandler),

  resendWebhookDelivery: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/workspace/{workspaceId}/webhook/delivery/{deliveryId}/resend",
        tags,
        summary: "Send a delivery again now, with the same event id",
      },
      errors: [...accessErrors, domainErrors.webhookDeliveryNotFound],
    })
    .input(resendWebhookDeliveryInput)
    .output(resendWebhookDeliveryOutput)
    .mutation(resendWebhookDeliveryHandler),
};
