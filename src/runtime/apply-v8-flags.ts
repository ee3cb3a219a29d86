// Imported first by main.ts, so the flags hold before any other module allocates.
import { applyV8Flags } from './v8-flags';

/** The flags set at start-up, for main.ts to log once the logger is ready. */
export const appliedV8Flags = applyV8Flags();
