// E2E suites boot the app and seed real databases, which takes longer than Jest's 5 s default.
jest.setTimeout(60_000);
