import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../src/http/openapi";

describe("the OpenAPI document", () => {
  it("passes Redocly's strictest built-in ruleset with no problem at all", async () => {
    const config = await createConfig({ extends: ["recommended-strict"] });
    const problems = await lintFromString({
      source: JSON.stringify(buildOpenApiDocument("/")),
      absoluteRef: "/openapi.json",
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it("names the bearer scheme, a license, and for every operation the error answers it can give", () => {
    const document = buildOpenApiDocument("/");
    expect(document.components?.securitySchemes).toMatchObject({ bearerAuth: { type: "http", scheme: "bearer" } });
    expect(document.info.license).toEqual({ name: "Apache-2.0", identifier: "Apache-2.0" });
    const put = document.paths?.["/repo/{repoId}/ai/apikey/{apikeyId}"]?.put;
    expect(Object.keys(put?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "401", "403", "404", "413", "415", "429", "500", "503"]),
    );
    expect(put?.security).toEqual([{ bearerAuth: [] }]);
    const get = document.paths?.["/repo/{repoId}/ai/apikey"]?.get;
    expect(Object.keys(get?.responses ?? {})).not.toContain("413");
    expect(get?.responses?.["429"]).toMatchObject({ headers: { "Retry-After": { required: true } } });
  });
});
