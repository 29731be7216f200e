#!/bin/sh
# Prisma's CLI insists on downloading a native engine it does not need for the commands we run
# (generate; migrate diff on the WebAssembly engine). Pointing it here satisfies that check offline.
echo "repokeys: the native Prisma engine is not used here; see packages/db/scripts/prisma.mjs" >&2
exit 1
