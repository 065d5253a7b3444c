// Entry of the script-tag build (dist/parcours.js): exposes `window.parcours.createParcours`.
import { createParcours } from './index.js';
import { ERROR_CODES } from './generated/error-codes.js';

(globalThis as unknown as { parcours: unknown }).parcours = { createParcours, ERROR_CODES };
