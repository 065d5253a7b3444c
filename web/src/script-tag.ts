// Entry of the script-tag build (dist/parcours.js). Loaded plainly, it exposes
// `window.parcours.createParcours`; loaded by the pre-load snippet, it replays the calls the
// snippet recorded and `window.parcours` becomes the client (see snippet.ts).
import { createParcours } from './index.js';
import { ERROR_CODES } from './generated/error-codes.js';
import { adoptSnippet, isSnippetStub } from './snippet.js';

const global = globalThis as unknown as { parcours: unknown };
const api = { createParcours, ERROR_CODES };
global.parcours = isSnippetStub(global.parcours)
  ? adoptSnippet(global.parcours, createParcours, api, (message) => console.warn(`[parcours] ${message}`))
  : api;
