import { InitControl1764000000000 } from './migrations/1764000000000-InitControl.js';

/** The control database's migrations, oldest first. */
export const CONTROL_MIGRATIONS = [InitControl1764000000000];
