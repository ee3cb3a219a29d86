// Imported first by main.ts, so the flags hold before any other module allocates.
import { applyV8Flags } from './v8-flags';

applyV8Flags();
