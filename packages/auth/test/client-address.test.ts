import { describe, expect, it } from "vitest";
import { addressForLimits } from "../src/web/client-address";

describe("addressForLimits: the address every per-address limit counts", () => {
  it("counts an IPv6 client by its /64, so one subscriber cannot take a fresh address per request", () => {
    const sameSubscriber = ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::9", "2001:DB8:0001:0002:ffff::1"];
    expect(new Set(sameSubscriber.map(addressForLimits))).toEqual(new Set(["2001:db8:1:2::/64"]));
    expect(addressForLimits("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(addressForLimits("::1")).toBe("::/64");
  });

  it("takes an IPv4-mapped IPv6 address as its IPv4 address, and IPv4 as it is", () => {
    expect(addressForLimits("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressForLimits("203.0.113.7")).toBe("203.0.113.7");
  });

  it("keeps what is not an address as it is", () => {
    expect(addressForLimits("unknown")).toBe("unknown");
  });
});
