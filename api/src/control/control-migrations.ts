import { InitControl1764000000000 } from './migrations/1764000000000-InitControl.js';
import { EmailVerification1764100000000 } from './migrations/1764100000000-EmailVerification.js';

/** The control database's migrations, oldest first. */
export const CONTROL_MIGRATIONS = [InitControl1764000000000, EmailVerification1764100000000];
