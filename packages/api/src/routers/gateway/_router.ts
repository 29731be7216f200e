import { domainErrors } from "../../errors/domain-errors";
import { gatewayProcedure } from "../../trpc";
import { verifyAiApiKeyHandler } from "./verify.handler";
import { verifyAiApiKeyInput, verifyAiApiKeyOutput } from "./verify.schema";

export const gatewayProcedures = {
  // A mutation, though it changes nothing the caller sees: it is a POST (the secret travels in the body,
  // never a URL), and tRPC serves queries as GET.
  verifyAiApiKey: gatewayProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/ai/apikey/verify",
        tags: ["AI gateway"],
        summary: "Verify an AI API key and secret (gateway tokens only)",
        description:
          "Authenticate with a gateway token. Answers 200 whether or not the pair is valid; `code` says why not. A personal API token gets 403.",
      },
      errors: [domainErrors.personalTokenCannotVerify],
    })
    .input(verifyAiApiKeyInput)
    .output(verifyAiApiKeyOutput)
    .mutation(verifyAiApiKeyHandler),
};
