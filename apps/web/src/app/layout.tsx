import "./globals.css";
import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: { default: "repokeys", template: "%s · repokeys" },
  description: "Per-repository AI API keys",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so that each gets the script nonce of its Content-Security-Policy
  // (src/server/security-headers.ts); a prerendered page's scripts would have none and be blocked.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
