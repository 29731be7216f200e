import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "repokeys", description: "Per-repository AI API keys" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
